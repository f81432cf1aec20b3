// animepop-bench: throughput benchmarks. `swift run -c release animepop-bench [SUITE…]`.
// Each suite lives in its own file and registers one line below; ratios are the figures to quote,
// since machines are noisy (every suite measures its reference in the same run).
import Foundation
import Tensor

/// A benchmark suite: a name for the command line and a function that prints its table.
struct Suite {
    let name: String
    let summary: String
    let run: ([String]) throws -> Void
}

let suites: [Suite] = [
    // One line per suite, in pipeline order.
    gemmSuite,
    tokenizerSuite,
    textModelSuite,
    decodeSuite,
    visionSuite,
    tfidfSuite,
    catalogueSuite,
    batchSuite,
]

ProcessSetup.selectFastBLASKernel()
ProcessSetup.keepFreedMemory()
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
    print("usage: animepop-bench SUITE [options]   (or `all`)\n\nsuites:")
    for suite in suites { print("  \(suite.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(suite.summary)") }
    exit(arguments.isEmpty ? 1 : 0)
}
let selected = arguments[0] == "all" ? suites : suites.filter { $0.name == arguments[0] }
if selected.isEmpty {
    FileHandle.standardError.write(Data("animepop-bench: unknown suite '\(arguments[0])'\n".utf8))
    exit(2)
}
for suite in selected {
    print("== \(suite.name): \(suite.summary)")
    do { try suite.run(Array(arguments.dropFirst())) } catch {
        FileHandle.standardError.write(Data("animepop-bench \(suite.name): \(error)\n".utf8))
        exit(1)
    }
}
