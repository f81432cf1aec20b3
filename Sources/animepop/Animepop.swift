import ArgumentParser
import Tensor

/// The animepop command line: score upcoming anime titles, compare with the TF-IDF baseline, batch-score catalogues.
@main
struct Animepop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "animepop",
        abstract: "Predict how popular an upcoming anime title will be, from its synopsis and key visual.",
        version: AnimepopVersion.string,
        subcommands: [
            Score.self,
            Batch.self,
            Compare.self,
            Train.self,
            DataCommand.self,
            TokenizerCommand.self,
            EmbedImage.self,
            Doctor.self,
        ]
    )

    /// Entry point: choose the fast BLAS kernel and the allocator's policy, then parse and run the command.
    static func main() {
        ProcessSetup.selectFastBLASKernel()
        ProcessSetup.keepFreedMemory()
        Self.main(nil)
    }
}

/// The program's version, printed by `--version` and written into model cards.
enum AnimepopVersion {
    static let string = "0.1.0"
}
