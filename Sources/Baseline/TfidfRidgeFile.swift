// A fitted TF-IDF ridge on disk (`baseline.tfidf`), small enough to ship:
//   "APTFIDF1" | UInt32 header length | JSON header {configuration, documentCount, alpha, intercept, featureCount}
//   | terms, UTF-8, each followed by "\n", in column order | Float32 idf[V] | Float32 weights[V]   (little-endian)
// Reading checks the magic, every length against the file size, and that the terms rebuild V distinct columns.
import Foundation

extension TfidfRidge {
    private static let magic = Array("APTFIDF1".utf8)

    private struct Header: Codable {
        var configuration: TfidfConfiguration
        var documentCount: Int
        var alpha: Double
        var intercept: Double
        var featureCount: Int
    }

    /// Writes the model atomically to `url`.
    public func write(to url: URL) throws {
        let header = Header(configuration: vectorizer.configuration, documentCount: vectorizer.documentCount,
                            alpha: alpha, intercept: intercept, featureCount: vectorizer.featureCount)
        let headerBytes = try JSONEncoder().encode(header)
        var data = Data(Self.magic)
        withUnsafeBytes(of: UInt32(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(headerBytes)
        for column in 0..<vectorizer.featureCount {
            data.append(contentsOf: Array(vectorizer.term(column).utf8))
            data.append(0x0A)
        }
        for values in [vectorizer.idf, weights] {
            for value in values { withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        try data.write(to: url, options: .atomic)
    }

    /// Reads a model written by `write(to:)`.
    /// - Throws: `BaselineError.malformedModel` naming the file and the fault.
    public static func read(contentsOf url: URL) throws -> TfidfRidge {
        let path = url.path
        func fail(_ reason: String) -> BaselineError { .malformedModel(path: path, reason: reason) }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("unreadable") }
        let bytes = [UInt8](data)
        guard bytes.count >= 12, Array(bytes[0..<8]) == magic else { throw fail("bad magic") }
        let headerLength = Int(UInt32(bytes[8]) | UInt32(bytes[9]) << 8 | UInt32(bytes[10]) << 16 | UInt32(bytes[11]) << 24)
        guard headerLength <= bytes.count - 12 else { throw fail("header length \(headerLength) past the end") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[12..<(12 + headerLength)]))
        } catch {
            throw fail("header: \(error)")
        }
        let count = header.featureCount
        guard count > 0, count <= (bytes.count - 12 - headerLength) / 8 else { throw fail("feature count \(count) does not fit the file") }
        let floatsStart = bytes.count - 8 * count
        var tokens = TokenInterner(expected: count)
        var terms = TermTable(expected: count)
        var cursor = 12 + headerLength
        for column in 0..<count {
            guard let end = bytes[cursor..<floatsStart].firstIndex(of: 0x0A) else { throw fail("term \(column) is not terminated") }
            let words = bytes[cursor..<end].split(separator: 0x20, omittingEmptySubsequences: false)
            guard words.count == 1 || words.count == 2, words.allSatisfy({ !$0.isEmpty }) else { throw fail("term \(column) is not 1–2 words") }
            let ids = words.map { word in Array(word).withUnsafeBufferPointer { tokens.intern($0) } }
            let key = ids.count == 1 ? unigramKey(ids[0]) : bigramKey(ids[0], ids[1])
            guard terms.insert(key) == Int32(column) else { throw fail("term \(column) repeats an earlier term") }
            cursor = end + 1
        }
        guard cursor == floatsStart else { throw fail("\(floatsStart - cursor) stray bytes after the terms") }
        func floats(_ offset: Int) -> [Double] {
            (0..<count).map { i in
                let b = offset + 4 * i
                return Double(Float(bitPattern: UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16 | UInt32(bytes[b + 3]) << 24))
            }
        }
        let vectorizer = TfidfVectorizer(configuration: header.configuration, idf: floats(floatsStart),
                                         documentCount: header.documentCount, tokens: tokens, terms: terms)
        return TfidfRidge(vectorizer: vectorizer, weights: floats(floatsStart + 4 * count), intercept: header.intercept,
                          alpha: header.alpha, validationErrors: [])
    }
}
