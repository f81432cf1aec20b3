// `animepop-bench tokenizer --corpus FILE [--vocab DIR] [--python PATH] [--target-mb 20] [--train-mb 38]`
// Encode throughput (1 thread, 2 threads) with the shipped 16k vocab on ≥ 20 MB of synopsis text,
// trainer time on a 38 MB corpus, pathological inputs, and HF `tokenizers` on the same text in the same run.
import Foundation
import Tensor
import Tokenizer

@MainActor let tokenizerSuite = Suite(
    name: "tokenizer",
    summary: "BPE encode MB/s (1 and 2 threads), trainer seconds, pathological inputs; HF tokenizers ratio",
    run: TokenizerBench.run
)

/// The tokenizer benchmark: text built from the synopsis corpus by repeating its lines.
enum TokenizerBench {
    struct Options {
        var corpus = ""
        var vocab = "vocab"
        var python = "/work/venv/bin/python"
        var targetMegabytes = 20.0
        var trainMegabytes = 38.0
        var skipReference = false
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchError("missing value after \(arguments[index - 1])") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--corpus": options.corpus = try value()
            case "--vocab": options.vocab = try value()
            case "--python": options.python = try value()
            case "--target-mb": options.targetMegabytes = Double(try value()) ?? 20
            case "--train-mb": options.trainMegabytes = Double(try value()) ?? 38
            case "--no-reference": options.skipReference = true
            default: throw BenchError("unknown option \(arguments[index])")
            }
            index += 1
        }
        guard !options.corpus.isEmpty else {
            throw BenchError("pass --corpus FILE (one synopsis per line: python3 tools/tokenizer_corpus.py --out /tmp/synopses.txt)")
        }
        return options
    }

    /// Corpus lines (with newlines) repeated cyclically until `target` bytes: the same text the Python side builds.
    static func buildText(corpus: String, target: Int) throws -> (bytes: [UInt8], lines: [Range<Int>]) {
        guard let data = FileManager.default.contents(atPath: corpus) else { throw BenchError("cannot read \(corpus)") }
        let base = data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }
        guard !base.isEmpty else { throw BenchError("\(corpus) is empty") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(target + 100_000)
        var lines: [Range<Int>] = []
        outer: while true {
            for line in base {
                let start = bytes.count
                bytes.append(contentsOf: line)
                bytes.append(0x0A)
                lines.append(start..<bytes.count)
                if bytes.count >= target { break outer }
            }
        }
        return (bytes, lines)
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func encodeLines(_ tokenizer: Tokenizer, _ bytes: [UInt8], _ lines: ArraySlice<Range<Int>>) -> Int {
        let encoder = tokenizer.makeEncoder()
        var ids: [UInt32] = []
        var tokens = 0
        bytes.withUnsafeBufferPointer { all in
            for line in lines {
                ids.removeAll(keepingCapacity: true)
                encoder.append(UnsafeBufferPointer(rebasing: all[line]), to: &ids)
                tokens += ids.count
            }
        }
        return tokens
    }

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        let tokenizer = try Tokenizer.load(path: options.vocab)
        let (bytes, lines) = try buildText(corpus: options.corpus, target: Int(options.targetMegabytes * 1e6))
        let megabytes = Double(bytes.count) / 1e6
        print(String(format: "text: %.1f MB, %d lines (corpus lines repeated); vocab %d from %@", megabytes, lines.count,
                     tokenizer.vocabularySize, options.vocab))

        var tokens = 0
        let cpuBefore = CPUClock.thread()
        let single = seconds { tokens = encodeLines(tokenizer, bytes, lines[...]) }
        let cpuSingle = CPUClock.thread() - cpuBefore
        print(String(format: "swift encode 1 thread : %7.2f MB/s wall, %7.2f MB/s per CPU-second  (%.2f s, %d tokens, %.3f bytes/token)",
                     megabytes / single, megabytes / cpuSingle, single, tokens, Double(bytes.count) / Double(tokens)))

        let half = lines.count / 2
        let counts = ResultBox()
        let processBefore = CPUClock.process()
        let double = seconds {
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                let share = worker == 0 ? lines[..<half] : lines[half...]
                let cpuStart = CPUClock.thread()
                counts.add(encodeLines(tokenizer, bytes, share))
                counts.noteCPU(CPUClock.thread() - cpuStart)
            }
        }
        let processCPU = CPUClock.process() - processBefore
        print(String(format: "swift encode 2 threads: %7.2f MB/s wall (%.2fx of 1 thread; %.2f CPU-s in %.2f s wall = %.2f cores busy; tokens equal: %@)",
                     megabytes / double, single / double, processCPU, double, processCPU / double, counts.total == tokens ? "yes" : "NO"))
        print(String(format: "  per-thread CPU-s %.2f and %.2f: on 2 free cores the batch would take the larger, %.2f MB/s = %.2fx of 1 thread per CPU-second",
                     counts.cpu.first ?? 0, counts.cpu.last ?? 0, megabytes / (counts.cpu.max() ?? 1),
                     (megabytes / (counts.cpu.max() ?? 1)) / (megabytes / cpuSingle)))

        for (name, text) in [("1 MB of 'a'", String(repeating: "a", count: 1 << 20)),
                             ("1 MB of spaces", String(repeating: " ", count: 1 << 20)),
                             ("1 MB of emoji", String(repeating: "😀", count: 1 << 18))] {
            var count = 0
            let cpuStart = CPUClock.thread()
            let time = seconds { count = tokenizer.encode(text).count }
            print(String(format: "pathological %-15@: %.3f s wall, %.3f CPU-s (%d tokens)", name, time, CPUClock.thread() - cpuStart, count))
        }

        let (trainBytes, _) = try buildText(corpus: options.corpus, target: Int(options.trainMegabytes * 1e6))
        let trainPath = NSTemporaryDirectory() + "animepop-tokenizer-bench-\(getpid()).txt"
        guard FileManager.default.createFile(atPath: trainPath, contents: Data(trainBytes)) else { throw BenchError("cannot write \(trainPath)") }
        defer { try? FileManager.default.removeItem(atPath: trainPath) }
        let settings = TrainerSettings(vocabularySize: 16000, minimumFrequency: 2,
                                       specialTokens: ["<|endoftext|>", "<pad>", "<mask>", "<cls>"], threads: 2)
        var trained: Tokenizer?
        let trainCPUStart = CPUClock.process()
        let trainTime = try seconds { trained = try Trainer.train(files: [trainPath], settings: settings) }
        let trainCPU = CPUClock.process() - trainCPUStart
        print(String(format: "swift train 16k on %.1f MB, 2 threads: %.2f s wall, %.2f CPU-s (%d merges)", Double(trainBytes.count) / 1e6,
                     trainTime, trainCPU, trained?.model.merges.count ?? 0))

        guard !options.skipReference else { return }
        guard FileManager.default.isExecutableFile(atPath: options.python) else {
            print("reference skipped: no Python at \(options.python) (--python PATH)")
            return
        }
        let json = options.vocab.hasSuffix(".json") ? options.vocab : options.vocab + "/tokenizer.json"
        let common = ["tools/tokenizer_bench_hf.py", "--corpus", options.corpus, "--tokenizer", json,
                      "--target-mb", String(options.targetMegabytes)]
        let one = try runPython(options.python, common + ["--threads", "1", "--tiktoken"])
        let two = try runPython(options.python, common + ["--threads", "2", "--train", trainPath])
        let hfSingle = one["hf_encode_mb_s"] ?? .nan
        let hfDouble = two["hf_encode_mb_s"] ?? .nan
        let hfTrain = two["hf_train_seconds"] ?? .nan
        print(String(format: "HF tokenizers encode 1 thread : %7.2f MB/s  -> swift is %.1fx (per CPU-second: HF %.2f MB/s, swift %.1fx)",
                     hfSingle, megabytes / single / hfSingle, one["hf_encode_cpu_mb_s"] ?? .nan,
                     megabytes / cpuSingle / (one["hf_encode_cpu_mb_s"] ?? .nan)))
        print(String(format: "tiktoken engine encode 1 thread: %7.2f MB/s -> swift is %.1fx (per CPU-second: %.1fx; same ids as HF on %.1f%% of lines)",
                     one["tiktoken_encode_mb_s"] ?? .nan, megabytes / single / (one["tiktoken_encode_mb_s"] ?? .nan),
                     megabytes / cpuSingle / (one["tiktoken_encode_cpu_mb_s"] ?? .nan),
                     100 * (one["tiktoken_same_ids_as_hf"] ?? .nan)))
        print(String(format: "HF tokenizers encode 2 threads: %7.2f MB/s  -> swift is %.1fx", hfDouble, megabytes / double / hfDouble))
        print(String(format: "HF BpeTrainer 16k, 2 threads  : %7.2f s     -> swift is %.1fx faster (CPU-s: HF %.2f, swift %.2f)",
                     hfTrain, hfTrain / trainTime, two["hf_train_cpu_seconds"] ?? .nan, trainCPU))
        print(String(format: "HF tokens on the text: %.0f (swift: %d)", one["hf_tokens"] ?? .nan, tokens))
    }

    static func runPython(_ python: String, _ arguments: [String]) throws -> [String: Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchError("reference script failed: \(python) \(arguments.joined(separator: " "))")
        }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}

/// Sums worker results under a lock.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = 0
    private var seconds: [Double] = []
    func add(_ value: Int) { lock.lock(); sum += value; lock.unlock() }
    func noteCPU(_ value: Double) { lock.lock(); seconds.append(value); lock.unlock() }
    var cpu: [Double] { lock.lock(); defer { lock.unlock() }; return seconds }
    var total: Int { lock.lock(); defer { lock.unlock() }; return sum }
}

