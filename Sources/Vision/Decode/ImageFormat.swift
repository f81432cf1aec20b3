/// Recognises image formats by their first bytes, so that non-JPEG input gets a clear error before libjpeg sees it.
enum ImageFormat {
    /// The format name for the leading bytes: "JPEG", "PNG", "GIF", "WebP", …, "text" or "unknown".
    static func detect<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(16))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8]) { return "JPEG" }  // SOI; whatever follows is libjpeg's to judge
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "PNG" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "GIF" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "WebP" }
        if starts(Array("BM".utf8)) { return "BMP" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF" }
        if starts(Array("ftyp".utf8), at: 4) { return "HEIF/AVIF (ISO media)" }
        if starts([0xFF, 0x4F, 0xFF, 0x51]) || starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50]) { return "JPEG 2000" }
        if starts([0xFF, 0x0A]) { return "JPEG XL" }
        if starts(Array("%PDF".utf8)) { return "PDF" }
        if !head.isEmpty && head.allSatisfy({ $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20...0x7E).contains($0) }) {
            return "text"
        }
        return "unknown"
    }
}
