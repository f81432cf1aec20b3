import CICU

/// The first pipeline stage: Unicode normalization of text before splitting. GPT-2 uses none.
public enum Normalizer: Sendable, Equatable {
    /// Text passes through unchanged (GPT-2 compatible).
    case none
    /// ICU NFKC (compatibility composition), optionally followed by ICU lower-casing.
    case nfkc(lowercase: Bool)

    /// The normalized UTF-8 bytes. Invalid UTF-8 becomes U+FFFD under NFKC (ICU's substitution);
    /// if ICU itself fails (allocation), the input is returned unchanged.
    public func normalize(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard case let .nfkc(lowercase) = self, let base = bytes.baseAddress, bytes.count > 0 else { return Array(bytes) }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { source in
            var capacity = bytes.count * 3 + 16
            while true {
                var output = [UInt8](repeating: 0, count: capacity)
                let written = output.withUnsafeMutableBufferPointer { out in
                    out.baseAddress.map { pointer in
                        pointer.withMemoryRebound(to: CChar.self, capacity: capacity) {
                            ap_icu_nfkc(source, Int32(bytes.count), lowercase ? 1 : 0, $0, Int32(capacity))
                        }
                    } ?? -1
                }
                if written < 0 { return Array(bytes) }
                if Int(written) <= capacity {
                    output.removeSubrange(Int(written)...)
                    return output
                }
                capacity = Int(written)
            }
        }
    }
}
