import Foundation
import Testing
@testable import Popularity

@Suite("Store")
struct StoreTests {
    func temporaryStore() throws -> (Store, URL) {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("animepop-store-\(UUID().uuidString)").appendingPathComponent("store.sqlite")
        return (try Store(url: url), url)
    }

    @Test("SHA-256 matches the FIPS 180-4 examples")
    func sha256() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Data(repeating: 0x61, count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // The same examples through the Swift compression function, whichever one `hex` used.
        #expect(SHA256.digest(Data("abc".utf8), hardware: false) == SHA256.digest(Data("abc".utf8)))
        #expect(SHA256.digest(Data(repeating: 0x61, count: 1_000), hardware: false).prefix(4) == [0x41, 0xed, 0xec, 0xe4])
    }

    @Test("SHA-256 on the SHA extensions equals the Swift rounds for every length around the block edges",
          .enabled(if: SHA256.hardwareAvailable, "this CPU has no SHA extensions"))
    func sha256Hardware() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for count in Array(0...200) + [4_095, 4_096, 4_097, 70_000] {
            let data = Data(bytes.prefix(count))
            #expect(SHA256.digest(data, hardware: true) == SHA256.digest(data, hardware: false), "\(count) bytes")
        }
    }

    @Test("feature cache survives reopening and is invalidated by a weights change")
    func featureCache() throws {
        let (store, url) = try temporaryStore()
        try store.cacheFeatures([("aa", [1, 2, 3]), ("bb", [4, 5, 6])], backbone: "efficientnet-lite0", weightsDigest: "w1")
        let reopened = try Store(url: url)
        #expect(try reopened.cachedFeatures(sha256: "aa", backbone: "efficientnet-lite0", weightsDigest: "w1") == [1, 2, 3])
        #expect(try reopened.cachedFeatures(sha256: "aa", backbone: "efficientnet-lite0", weightsDigest: "w2") == nil)
        #expect(try reopened.cachedFeatures(sha256: "aa", backbone: "resnet50", weightsDigest: "w1") == nil)
        // Many at once: only the hashes this backbone and weights have seen, each once.
        #expect(try reopened.cachedFeatures(sha256s: ["bb", "zz", "aa", "bb"], backbone: "efficientnet-lite0", weightsDigest: "w1")
                == ["aa": [1, 2, 3], "bb": [4, 5, 6]])
        #expect(try reopened.cachedFeatures(sha256s: ["aa"], backbone: "efficientnet-lite0", weightsDigest: "w2").isEmpty)
        #expect(try reopened.evictFeatures(backbone: "efficientnet-lite0", keepingWeightsDigest: "w2") == 2)
        #expect(try reopened.cachedFeatures(sha256: "bb", backbone: "efficientnet-lite0", weightsDigest: "w1") == nil)
    }

    @Test("runs are recorded with ids, newest first")
    func runs() throws {
        let (store, _) = try temporaryStore()
        let first = try store.record(Run(kind: "train", config: "{\"seed\":1}", metrics: "{}"))
        let second = try store.record(Run(kind: "train", config: "{\"seed\":2}", metrics: "{\"spearman\":0.5}"))
        #expect(first.id != nil && second.id != nil && first.id != second.id)
        #expect(try store.runs(kind: "train").map(\.config) == ["{\"seed\":2}", "{\"seed\":1}"])
        #expect(try store.runs(kind: "compare").isEmpty)
    }

    @Test("a batch journal keeps committed chunks and forgets a reset job")
    func batchJournal() throws {
        let (store, _) = try temporaryStore()
        let chunk = (0..<3).map { BatchScore(job: "j", row: $0, titleId: "t\($0)", popularity: 0.5, percentile: 50, baseline: 0.4, error: nil) }
        try store.commit(chunk)
        try store.commit([BatchScore(job: "j", row: 3, titleId: "t3", popularity: nil, percentile: nil, baseline: nil, error: "missing image")])
        let finished = try store.finishedRows(job: "j")
        #expect(finished.keys.sorted() == [0, 1, 2, 3])
        #expect(finished[3]?.error == "missing image")
        #expect(try store.finishedRows(job: "other").isEmpty)
        try store.reset(job: "j")
        #expect(try store.finishedRows(job: "j").isEmpty)
    }

    @Test("an unopenable path is a clear error naming the file")
    func unopenable() {
        let url = URL(fileURLWithPath: "/proc/animepop-cannot-exist/store.sqlite")
        #expect(throws: StoreError.self) { try Store(url: url) }
    }
}
