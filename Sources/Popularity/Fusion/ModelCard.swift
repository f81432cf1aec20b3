import Foundation

/// The model card written beside a trained model: data, split, settings and the comparison with CIs.
enum ModelCard {
    static func markdown(configuration: ModelConfiguration, outcome: TrainingOutcome) -> String {
        let comparison = outcome.comparison
        var lines = [
            "# animepop model card",
            "",
            "- version \(configuration.version), trained \(configuration.createdAt)",
            "- target: `\(configuration.target)`; shipped head: \(configuration.variant.rawValue)",
            "- text encoder: \(configuration.encoder.layerCount) layers, width \(configuration.encoder.width), "
                + "\(configuration.encoder.headCount) heads, context \(configuration.encoder.contextLength), tokenizer `\(configuration.tokenizer)`",
            "- masked-LM pre-training: \(outcome.pretraining.step) steps, \(outcome.pretraining.tokens) tokens, "
                + String(format: "final loss %.3f, %.0f s", outcome.pretraining.loss, outcome.pretraining.seconds),
            "- image backbone: \(configuration.backbone ?? "none") (frozen)",
            "- output: " + (configuration.blend.map {
                String(format: "%.2f × head (z-scored) + %.2f × TF-IDF ridge (z-scored), the weight chosen on validation Spearman, then ",
                       $0.headWeight, 1 - $0.headWeight)
            } ?? "the head's output, ") + String(format: "recalibrated %.3f·x%+.3f on the validation titles",
                                                   configuration.calibration.scale, configuration.calibration.offset),
            "- split: time — train < 2021 (\(comparison.trainRows) titles), validation 2021–2022 (\(comparison.validationRows)), "
                + "test ≥ 2023 (\(comparison.testRows), \(comparison.testRowsWithCover) with a cover)",
            "",
            "## Test metrics (95% bootstrap CIs)",
            "",
            "```",
        ]
        lines += ComparisonTable.lines(comparison)
        lines += ["```", ""]
        return lines.joined(separator: "\n")
    }
}
