// Errors the baseline module throws; each payload locates the fault.
import Foundation

/// Why a baseline could not be fitted, loaded or applied.
public enum BaselineError: Error, LocalizedError, Equatable {
    /// Documents/pixel rows and targets differ in count.
    case countMismatch(what: String, inputs: Int, targets: Int)
    /// A feature row has a different length from the first.
    case featureLengthMismatch(row: Int, expected: Int, found: Int)
    /// No training rows, or no alpha to try.
    case emptyInput(String)
    /// No vocabulary term survived min_df / max_features.
    case emptyVocabulary(documents: Int, minDocumentFrequency: Int)
    /// A target or feature is NaN or infinite.
    case nonFinite(what: String, row: Int)
    /// A saved model file is malformed.
    case malformedModel(path: String, reason: String)

    /// A one-line description naming the fault.
    public var errorDescription: String? {
        switch self {
        case let .countMismatch(what, inputs, targets): "\(what): \(inputs) inputs but \(targets) targets"
        case let .featureLengthMismatch(row, expected, found): "feature row \(row) has \(found) values, expected \(expected)"
        case let .emptyInput(what): "nothing to fit: \(what)"
        case let .emptyVocabulary(documents, minimum):
            "no term occurs in at least \(minimum) of the \(documents) training documents; lower minDocumentFrequency"
        case let .nonFinite(what, row): "\(what) row \(row) is NaN or infinite"
        case let .malformedModel(path, reason): "\(path): not a TF-IDF ridge model (\(reason))"
        }
    }
}
