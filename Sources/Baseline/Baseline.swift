// Baseline module overview: see the module's files.
