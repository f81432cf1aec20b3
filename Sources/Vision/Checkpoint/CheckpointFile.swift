import Foundation
import Tensor

/// Reads a backbone's state dict from whichever file the user has: `.safetensors` (torchvision/timm names)
/// or PyTorch `.pth` (zip or legacy), chosen by the file's first bytes.
public enum CheckpointFile {
    /// Every tensor of the file at `url`, converted to Float32.
    /// - Throws: `CheckpointError` or `SafeTensorsError`, naming the file.
    public static func read(contentsOf url: URL) throws -> [String: CheckpointTensor] {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw CheckpointError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        try? handle.close()
        // A .pth starts with "PK" (zip) or 0x80 (pickle PROTO); a safetensors file with an 8-byte header length.
        if head.starts(with: [0x50, 0x4B]) || head.first == 0x80 {
            return try TorchCheckpoint.read(contentsOf: url)
        }
        return try SafeTensors.read(contentsOf: url).mapValues { CheckpointTensor(shape: $0.shape, values: $0.scalars) }
    }
}
