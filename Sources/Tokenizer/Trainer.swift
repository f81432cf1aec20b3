import Foundation

/// What the trainer builds.
public struct TrainerSettings: Sendable {
    /// Target vocabulary size, special tokens and the 256 byte symbols included.
    public var vocabularySize: Int
    /// Pairs seen fewer times than this are never merged.
    public var minimumFrequency: Int
    /// Special tokens, given the first ids in this order and matched literally in text.
    public var specialTokens: [String]
    /// Normalization applied to the corpus (and stored in the tokenizer).
    public var normalizer: Normalizer
    /// Threads for counting words.
    public var threads: Int

    /// Settings with GPT-2-like defaults: no normalization, minimum frequency 2, two threads.
    public init(vocabularySize: Int, minimumFrequency: Int = 2, specialTokens: [String] = [],
                normalizer: Normalizer = .none, threads: Int = 2) {
        self.vocabularySize = vocabularySize
        self.minimumFrequency = minimumFrequency
        self.specialTokens = specialTokens
        self.normalizer = normalizer
        self.threads = threads
    }
}

/// Byte-level BPE training (the algorithm of HF's `BpeTrainer`, on our own data structures):
/// 1. split every corpus line with the GPT-2 pre-tokenizer and count distinct words (2 threads);
/// 2. write each distinct word as byte symbols; count adjacent pairs weighted by word counts, and index
///    which words hold each pair;
/// 3. repeatedly take the most frequent pair (ties: smaller left id, then smaller right id — so runs
///    are deterministic), merge it in the words that hold it, and update only the pair counts next to
///    each merge (incremental; no recount), until the vocabulary is full or counts fall below the minimum.
/// Ids: special tokens first, then the 256 byte symbols in GPT-2's order, then merges in order.
public enum Trainer {
    /// Trains on text files (read whole; each line is a document).
    /// - Throws: `TokenizerError.fileUnreadable` naming the file, `.badTrainerSettings`.
    public static func train(files: [String], settings: TrainerSettings) throws -> Tokenizer {
        var corpus: [UInt8] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TokenizerError.fileUnreadable(path: path, reason: "cannot read corpus file")
            }
            corpus.append(contentsOf: data)
            if corpus.last != 0x0A, !corpus.isEmpty { corpus.append(0x0A) }
        }
        return try train(corpus: corpus, settings: settings)
    }

    /// Trains on texts held in memory; each text is one document, split whole (as HF's
    /// `train_from_iterator` does), newlines included.
    public static func train(texts: [String], settings: TrainerSettings) throws -> Tokenizer {
        var corpus: [UInt8] = []
        var documents: [Range<Int>] = []
        for text in texts {
            let start = corpus.count
            corpus.append(contentsOf: text.utf8)
            documents.append(start..<corpus.count)
        }
        return try train(corpus: corpus, documents: documents, settings: settings)
    }

    /// Trains on a UTF-8 corpus whose lines (each with its newline) are documents.
    public static func train(corpus: [UInt8], settings: TrainerSettings) throws -> Tokenizer {
        var lines: [Range<Int>] = []
        var start = 0
        for (index, byte) in corpus.enumerated() where byte == 0x0A {
            lines.append(start..<(index + 1))
            start = index + 1
        }
        if start < corpus.count { lines.append(start..<corpus.count) }
        return try train(corpus: corpus, documents: lines, settings: settings)
    }

    /// Trains on the given byte ranges of `corpus`, each split on its own.
    static func train(corpus: [UInt8], documents lines: [Range<Int>], settings: TrainerSettings) throws -> Tokenizer {
        let specials = settings.specialTokens
        guard Set(specials).count == specials.count else { throw TokenizerError.badTrainerSettings("special tokens repeat") }
        guard settings.vocabularySize >= specials.count + 256 else {
            throw TokenizerError.badTrainerSettings("vocabulary size \(settings.vocabularySize) is below \(specials.count + 256) (special tokens + 256 bytes)")
        }
        let added = specials.enumerated().map { AddedToken(content: $1, id: $0) }
        let words = WordCounter.count(corpus: corpus, lines: lines, threads: settings.threads,
                                      matcher: AddedTokenMatcher(added), normalizer: settings.normalizer)
        var vocabulary = specials + ByteLevel.byteOrder.map { String(ByteLevel.scalars[Int($0)]) }
        var merger = PairMerger(words: words, firstByteId: UInt32(specials.count))
        let merges = merger.run(vocabulary: &vocabulary, target: settings.vocabularySize,
                                minimumFrequency: max(1, settings.minimumFrequency))
        let model = try BPEModel(vocabulary: vocabulary, merges: merges.map { (vocabulary[$0.0], vocabulary[$0.1]) })
        return Tokenizer(model: model, normalizer: settings.normalizer, addedTokens: added)
    }
}
