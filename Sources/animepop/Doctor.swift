import ArgumentParser
import Foundation
import Popularity
import Tensor
import Tokenizer
import Vision

/// `animepop doctor`: reports the native libraries and weights this machine has.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report OpenBLAS, libjpeg, ICU and SQLite versions and which backbone weights are present.",
        discussion: "Run this first on a new machine: every line should read as expected before `score` or `train`."
    )

    func run() throws {
        let weights = WeightsCache.efficientNetLite0
        let hasWeights = FileManager.default.fileExists(atPath: weights.path)
        let rows: [(String, String)] = [
            ("animepop", AnimepopVersion.string),
            ("OpenBLAS", BLAS.configuration),
            ("OpenBLAS kernel", BLAS.coreName),
            ("OpenBLAS threads", "\(BLAS.threadCount) of \(BLAS.processorCount) processors"),
            ("conv engine", Convolution.engineDescription),
            ("libjpeg", JPEGLibrary.version),
            ("ICU", ICU.version),
            ("SQLite", SQLiteInfo.version),
            ("efficientnet-lite0", hasWeights ? "present: \(weights.path)" : "missing: run tools/setup.sh (expected at \(weights.path))"),
            ("resnet50", "user-supplied: pass --weights FILE (.pth or .safetensors)"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
    }
}
