/// How token ids are cut and filled to the fixed length a model takes (HF's truncation and padding).
public struct ModelInputOptions: Sendable, Equatable {
    /// Which end loses tokens when a text is too long, or gains padding when short.
    public enum Side: Sendable, Equatable {
        /// Keep the beginning: cut (or pad) at the end.
        case right
        /// Keep the end: cut (or pad) at the beginning.
        case left
    }

    /// How sequences are filled.
    public enum Padding: Sendable, Equatable {
        /// No padding: sequences keep their lengths.
        case none
        /// Pad every sequence to `maximumLength`.
        case toMaximumLength
        /// Pad to the longest sequence of the batch.
        case toLongest
    }

    /// Longest sequence kept (nil: no truncation).
    public var maximumLength: Int?
    /// Where truncation cuts.
    public var truncationSide: Side
    /// Padding mode.
    public var padding: Padding
    /// Where padding goes.
    public var paddingSide: Side
    /// Id used for padding (e.g. the id of `<pad>`).
    public var paddingId: Int

    /// Options; by default truncation and padding on the right.
    public init(maximumLength: Int? = nil, truncationSide: Side = .right, padding: Padding = .none,
                paddingSide: Side = .right, paddingId: Int = 0) {
        self.maximumLength = maximumLength
        self.truncationSide = truncationSide
        self.padding = padding
        self.paddingSide = paddingSide
        self.paddingId = paddingId
    }
}

/// One model input row: ids and the attention mask (1 for tokens, 0 for padding).
public struct ModelInput: Sendable, Equatable {
    /// Token ids, T of them.
    public var ids: [Int]
    /// 1 where `ids` holds a real token, 0 at padding; T entries.
    public var attentionMask: [Int]
}

extension Tokenizer {
    /// Encodes texts and truncates/pads them for a model.
    public func encodeForModel(_ texts: [String], options: ModelInputOptions, threads: Int = 1) -> [ModelInput] {
        Self.prepare(encodeBatch(texts, threads: threads), options: options)
    }

    /// Truncates and pads id sequences as `options` say.
    public static func prepare(_ sequences: [[Int]], options: ModelInputOptions) -> [ModelInput] {
        var rows = sequences.map { ids -> [Int] in
            guard let limit = options.maximumLength, ids.count > limit else { return ids }
            return options.truncationSide == .right ? Array(ids.prefix(max(0, limit))) : Array(ids.suffix(max(0, limit)))
        }
        let target: Int
        switch options.padding {
        case .none: target = 0
        case .toMaximumLength: target = options.maximumLength ?? (rows.map(\.count).max() ?? 0)
        case .toLongest: target = rows.map(\.count).max() ?? 0
        }
        return rows.indices.map { index in
            var ids = rows[index]
            var mask = [Int](repeating: 1, count: ids.count)
            let missing = max(0, target - ids.count)
            if missing > 0 {
                let fill = [Int](repeating: options.paddingId, count: missing)
                let zeros = [Int](repeating: 0, count: missing)
                if options.paddingSide == .right { ids += fill; mask += zeros } else { ids = fill + ids; mask = zeros + mask }
            }
            rows[index] = []
            return ModelInput(ids: ids, attentionMask: mask)
        }
    }
}
