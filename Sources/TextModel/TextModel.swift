// TextModel module overview: see the module's files.
