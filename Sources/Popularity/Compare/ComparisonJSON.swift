import Foundation

/// The comparison as JSON (`compare.json`): settings, counts, and per model and subset the metric estimates;
/// undefined values are `null`; `paired` holds each row's difference from the reference on the same resamples.
/// Predictions are not included (they are in the HTML plots).
public enum ComparisonJSON {
    /// [mean, standard deviation] of values ([NaN, NaN] when empty).
    static func meanAndDeviation(_ values: [Double]) -> [Double] {
        Metrics.meanAndDeviation(values).map { [$0.mean, $0.deviation] } ?? [.nan, .nan]
    }

    /// Pretty-printed JSON bytes.
    /// - Throws: `JSONSerialization`'s error (not expected: every value is a plain type).
    public static func data(_ result: ComparisonResult) throws -> Data {
        func number(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        let models: [[String: Any]] = result.results.map { entry in
            var object: [String: Any] = ["model": entry.model, "subset": entry.subset]
            if let reason = entry.skippedReason {
                object["skipped"] = reason
                return object
            }
            object["n"] = entry.truths.count
            object["fit"] = entry.summary
            object["seconds"] = (entry.seconds * 100).rounded() / 100
            // Calibration at a glance: a correlation with R² < 0 usually means a shifted or over-spread prediction.
            object["prediction_mean_sd"] = meanAndDeviation(entry.predictions).map(number)
            object["truth_mean_sd"] = meanAndDeviation(entry.truths).map(number)
            var metrics: [String: Any] = [:]
            for (metric, estimate) in entry.estimates {
                metrics[metric.rawValue] = ["value": number(estimate.value), "ci95": [number(estimate.lower), number(estimate.upper)]]
            }
            object["metrics"] = metrics
            return object
        }
        let paired: [[String: Any]] = result.paired.map { entry in
            var metrics: [String: Any] = [:]
            for (metric, estimate) in entry.estimates {
                metrics[metric.rawValue] = ["difference": number(estimate.difference),
                                            "ci95": [number(estimate.lower), number(estimate.upper)],
                                            "p_better": number(estimate.fractionBetter), "resamples_used": estimate.resamplesUsed]
            }
            return ["model": entry.model, "reference": entry.reference, "subset": entry.subset, "n": entry.count, "metrics": metrics]
        }
        let settings = result.settings
        let root: [String: Any] = [
            "target": settings.target.rawValue,
            "split": settings.split == .time ? "time (train < 2021, validation 2021–2022, test ≥ 2023)" : "\(settings.folds)-fold, seed \(settings.seed)",
            "bootstrap": ["resamples": settings.resamples, "seed": settings.seed, "method": "percentile, 95%"],
            "rows": ["catalogue": result.rows, "train": result.trainRows, "validation": result.validationRows,
                     "test": result.testRows, "test_with_cover": result.testRowsWithCover],
            "image_failures": result.imageFailures.count,
            "models": models,
            // Model − reference on the same titles and the same resamples; p_better: share of resamples where the model is better.
            "paired": paired,
        ]
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
    }
}
