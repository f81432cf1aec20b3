// Popularity — the domain: titles, the catalogue file, the dataset import, targets, splits, metrics and
// the comparison of models.
//
// Flow (top to bottom, data one way):
//   CSV/            CSVReader (streaming RFC 4180, bytes → records, line-numbered issues), CSVWriter
//   Catalogue/      CatalogueReader/Writer: header check (id,title,synopsis,image,start_date + members,
//                   score, favorites, snapshot, media_type), rows → Title, bad rows → CatalogueIssue
//   Import/         ../shared/data → [Title]: mal-tv (2026), mal-scrape-2023, mal-kaggle-vol2 merged by
//                   MyAnimeList id, credits stripped, posters attached (largest), drops counted
//   Targets/        popularity (within snapshot and start year: (average rank − 0.5) / n of log(1 + members)),
//                   score (min–max with the training rows' bounds), favorites per member; time and k-fold splits
//   Evaluation/     MSE, MAE, R², Pearson, Spearman, pairwise accuracy, top-decile precision; percentile bootstrap
//   Compare/        PopularityModel / PopularityPredictor (the plug-in seam), the baseline adaptors, the
//                   comparison runner, and its table, JSON and HTML (hand-written SVG) outputs
//
// Conventions: rows are indices into the catalogue's title array; every random choice goes through
// SplitMix64 with an explicit seed (ported in tools/popularity_reference.py, so goldens reproduce exactly).
// Library code throws typed LocalizedErrors; nothing here prints or exits.
