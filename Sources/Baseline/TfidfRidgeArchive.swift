// Saving and loading a TfidfRidge — small enough to ship under data/. Layout (little-endian):
//   "APTFRIDG"            8-byte magic
//   UInt32 version        1
//   UInt32 n, n bytes     JSON header {configuration, alpha, intercept, documentCount, termCount}
//   UInt32 n, n bytes     the vocabulary in column order, UTF-8, terms separated by "\n"
//   termCount × Float32   idf
//   termCount × Float32   ridge weights
// Every term is stored, weight or not: a document's l2 norm involves the idf of all its vocabulary terms,
// so dropping terms would change predictions. Float32 storage moves predictions by ~1e-7.
import Foundation

extension TfidfRidge {
    /// What the JSON header holds.
    private struct Header: Codable {
        let configuration: TfidfConfiguration
        let alpha: Double
        let intercept: Double
        let documentCount: Int
        let termCount: Int
    }

    private static let magic = Array("APTFRIDG".utf8)
    private static let version: UInt32 = 1

    /// The model as bytes (layout in the file header).
    public func archived() throws -> Data {
        var data = Data(Self.magic)
        append(Self.version, to: &data)
        let header = try JSONEncoder().encode(Header(configuration: vectorizer.configuration, alpha: alpha,
                                                     intercept: intercept, documentCount: vectorizer.documentCount,
                                                     termCount: vectorizer.featureCount))
        append(UInt32(header.count), to: &data)
        data.append(header)
        let terms = Data(vectorizer.vocabulary.joined(separator: "\n").utf8)
        append(UInt32(terms.count), to: &data)
        data.append(terms)
        for value in vectorizer.idf { append(Float(value).bitPattern, to: &data) }
        for value in weights { append(Float(value).bitPattern, to: &data) }
        return data
    }

    /// Writes the model to `url`.
    public func save(to url: URL) throws {
        try archived().write(to: url, options: .atomic)
    }

    /// Reads a model written by `save(to:)`.
    public static func load(from url: URL) throws -> TfidfRidge {
        try unarchive(Data(contentsOf: url), source: url.path)
    }

    /// Decodes `archived()` bytes; `source` names them in errors.
    public static func unarchive(_ data: Data, source: String = "model") throws -> TfidfRidge {
        var reader = ByteReader(bytes: [UInt8](data), source: source)
        guard try reader.take(magic.count) == magic else { throw BaselineError.malformedModel(path: source, reason: "bad magic") }
        let fileVersion = try reader.uint32()
        guard fileVersion == version else {
            throw BaselineError.malformedModel(path: source, reason: "version \(fileVersion), expected \(version)")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(reader.take(Int(reader.uint32())))) } catch let error as BaselineError {
            throw error
        } catch {
            throw BaselineError.malformedModel(path: source, reason: "bad header: \(error.localizedDescription)")
        }
        let termBytes = try reader.take(Int(reader.uint32()))
        let terms = header.termCount == 0 ? [] : termBytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard terms.count == header.termCount else {
            throw BaselineError.malformedModel(path: source, reason: "\(terms.count) terms, header says \(header.termCount)")
        }
        let idf = try (0..<header.termCount).map { _ in Double(Float(bitPattern: try reader.uint32())) }
        let weights = try (0..<header.termCount).map { _ in Double(Float(bitPattern: try reader.uint32())) }
        guard reader.isAtEnd else { throw BaselineError.malformedModel(path: source, reason: "trailing bytes") }

        var tokens = TokenInterner(expected: header.termCount)
        var table = TermTable(expected: header.termCount)
        for (column, term) in terms.enumerated() {
            let words = term.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard (1...2).contains(words.count), words.allSatisfy({ !$0.isEmpty }) else {
                throw BaselineError.malformedModel(path: source, reason: "term \(column) is not one or two words")
            }
            let ids = words.map { word in Array(word).withUnsafeBufferPointer { tokens.intern($0) } }
            let key = ids.count == 2 ? bigramKey(ids[0], ids[1]) : unigramKey(ids[0])
            guard table.insert(key) == Int32(column) else {
                throw BaselineError.malformedModel(path: source, reason: "term \(column) is repeated")
            }
        }
        let vectorizer = TfidfVectorizer(configuration: header.configuration, idf: idf, documentCount: header.documentCount,
                                         tokens: tokens, terms: table)
        return TfidfRidge(vectorizer: vectorizer, weights: weights, intercept: header.intercept, alpha: header.alpha,
                          validationErrors: [])
    }

    private func append(_ value: UInt32, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
}

/// Sequential little-endian reads that throw at the end of the bytes.
private struct ByteReader {
    let bytes: [UInt8]
    let source: String
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else {
            throw BaselineError.malformedModel(path: source, reason: "truncated at byte \(offset)")
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func uint32() throws -> UInt32 {
        let raw = try take(4)
        return UInt32(raw[0]) | UInt32(raw[1]) << 8 | UInt32(raw[2]) << 16 | UInt32(raw[3]) << 24
    }
}
