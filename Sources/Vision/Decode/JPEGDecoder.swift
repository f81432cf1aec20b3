import CJPEG
import Foundation

/// Decodes JPEG files to upright 8-bit RGB through libjpeg-turbo, safely.
///
/// Order of checks: the file is read; zero bytes → `.empty`; the first bytes must be JPEG's SOI, else
/// `.unsupportedFormat` naming what it is; the header is parsed and `width × height` is compared with
/// `maxPixels` *before* any pixel memory is allocated (`.tooLarge`); then the image is decoded with the
/// accurate integer IDCT (JDCT_ISLOW). Truncated data and corrupt entropy data are errors, never grey fill.
/// Grayscale becomes RGB, CMYK/YCCK are converted (see `CMYKConversion`), and the EXIF orientation is applied.
///
/// With `minimumSide`, libjpeg's DCT scaling decodes at 1/2, 1/4 or 1/8 size: the smallest scale whose
/// output keeps both sides ≥ `minimumSide` (so a 2000×3000 poster for a 256 target decodes at 1/4: 500×750).
public enum JPEGDecoder {
    /// Decodes the JPEG file at `url`.
    public static func decode(contentsOf url: URL, maxPixels: Int = 50_000_000, minimumSide: Int? = nil) throws -> RGBImage {
        let name = url.path
        if let problem = notARegularFile(name) { throw ImageError(file: name, kind: .unreadable(problem)) }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw ImageError(file: name, kind: .unreadable(readFailureReason(error)))
        }
        return try decode(data: data, name: name, maxPixels: maxPixels, minimumSide: minimumSide)
    }

    /// Decodes JPEG bytes held in memory; `name` is used in errors.
    public static func decode(data: Data, name: String, maxPixels: Int = 50_000_000, minimumSide: Int? = nil) throws -> RGBImage {
        if data.isEmpty { throw ImageError(file: name, kind: .empty) }
        let format = ImageFormat.detect(data)
        guard format == "JPEG" else { throw ImageError(file: name, kind: .unsupportedFormat(detected: format)) }
        return try data.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else {
                throw ImageError(file: name, kind: .empty)
            }
            return try decode(bytes: base, count: raw.count, name: name, maxPixels: maxPixels, minimumSide: minimumSide)
        }
    }

    /// The DCT scale denominator (1, 2, 4 or 8) for a stored size: the largest whose output keeps both sides
    /// ≥ `minimumSide` (libjpeg rounds output sides up: ⌈side / denominator⌉). 1 when `minimumSide` is nil.
    public static func scaleDenominator(width: Int, height: Int, minimumSide: Int?) -> Int {
        guard let minimumSide, minimumSide > 0 else { return 1 }
        for denominator in [8, 4, 2] {
            let scaledWidth = (width + denominator - 1) / denominator
            let scaledHeight = (height + denominator - 1) / denominator
            if scaledWidth >= minimumSide && scaledHeight >= minimumSide { return denominator }
        }
        return 1
    }

    /// The stored header fields of a JPEG in memory, without decoding pixels (for tests and tools).
    /// `colorSpace` is the stored one: "gray", "rgb", "ycbcr", "cmyk", "ycck" or "unknown".
    public static func header(data: Data, name: String) throws -> (width: Int, height: Int, components: Int, colorSpace: String, progressive: Bool) {
        if data.isEmpty { throw ImageError(file: name, kind: .empty) }
        let format = ImageFormat.detect(data)
        guard format == "JPEG" else { throw ImageError(file: name, kind: .unsupportedFormat(detected: format)) }
        return try data.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { throw ImageError(file: name, kind: .empty) }
            let session = try Session(name: name)
            defer { session.close() }
            let header = try session.readHeader(base, count: raw.count)
            let spaces = ["unknown", "gray", "rgb", "ycbcr", "cmyk", "ycck"]
            let space = spaces.indices.contains(Int(header.color_space)) ? spaces[Int(header.color_space)] : "unknown"
            return (Int(header.width), Int(header.height), Int(header.components), space, header.progressive != 0)
        }
    }

    private static func decode(bytes: UnsafePointer<UInt8>, count: Int, name: String, maxPixels: Int, minimumSide: Int?) throws -> RGBImage {
        let session = try Session(name: name)
        defer { session.close() }
        let header = try session.readHeader(bytes, count: count)
        let width = Int(header.width), height = Int(header.height)
        guard width * height <= maxPixels else {
            throw ImageError(file: name, kind: .tooLarge(width: width, height: height, limit: maxPixels))
        }
        let orientation = session.orientation()
        let denominator = scaleDenominator(width: width, height: height, minimumSide: minimumSide)
        let output = try session.start(scaleDenominator: denominator)
        let outputWidth = Int(output.width), outputHeight = Int(output.height), components = Int(output.components)
        // Uninitialized: libjpeg writes every byte, or we throw and the array is dropped with count 0.
        let byteCount = outputWidth * outputHeight * components
        var pixels = try [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, count in
            try session.readPixels(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<byteCount]))
            count = byteCount
        }
        if components == 4 {
            pixels = CMYKConversion.rgb(fromCMYK: pixels, pixelCount: outputWidth * outputHeight, inverted: header.saw_adobe != 0)
        } else if components != 3 {
            throw ImageError(file: name, kind: .corrupt("unexpected \(components) output components"))
        }
        let stored = RGBImage(uncheckedWidth: outputWidth, height: outputHeight, pixels: pixels)
        return orientation.apply(to: stored)
    }

    /// Why the path (symlinks followed) is no image file: a directory, a device, a FIFO or a socket; nil for a regular file
    /// and for a path that cannot be examined (reading it then reports why). Devices and FIFOs are refused before reading:
    /// /dev/null otherwise read as "permission denied", and a FIFO would block.
    static func notARegularFile(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory"
        case S_IFCHR, S_IFBLK: return "not a regular file (a device)"
        case S_IFIFO: return "not a regular file (a FIFO)"
        case S_IFSOCK: return "not a regular file (a socket)"
        default: return "not a regular file"
        }
    }

    /// The human part of a file-read failure ("No such file or directory").
    private static func readFailureReason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}

/// One libjpeg decompression, owning the C decoder; every failure becomes an `ImageError` naming the file.
private final class Session {
    private let decoder: OpaquePointer
    private let name: String

    init(name: String) throws {
        guard let decoder = ap_jpeg_decoder_create() else {
            throw ImageError(file: name, kind: .corrupt("out of memory creating the decoder"))
        }
        self.decoder = decoder
        self.name = name
    }

    func close() { ap_jpeg_decoder_destroy(decoder) }

    func readHeader(_ bytes: UnsafePointer<UInt8>, count: Int) throws -> ap_jpeg_header {
        var header = ap_jpeg_header()
        try check(ap_jpeg_read_header(decoder, bytes, count, &header))
        return header
    }

    func orientation() -> ExifOrientation {
        var length = 0
        guard let exif = ap_jpeg_exif(decoder, &length), length > 0 else { return .up }
        return ExifOrientation.parse(tiff: UnsafeBufferPointer(start: exif, count: length))
    }

    func start(scaleDenominator: Int) throws -> ap_jpeg_output {
        var output = ap_jpeg_output()
        try check(ap_jpeg_start(decoder, Int32(scaleDenominator), &output))
        return output
    }

    func readPixels(into buffer: UnsafeMutableBufferPointer<UInt8>) throws {
        guard let base = buffer.baseAddress else { throw ImageError(file: name, kind: .corrupt("image has no pixels")) }
        try check(ap_jpeg_read_pixels(decoder, base, buffer.count))
    }

    private func check(_ code: Int32) throws {
        switch code {
        case Int32(AP_JPEG_OK): return
        case Int32(AP_JPEG_TRUNCATED): throw ImageError(file: name, kind: .truncated)
        default:
            let message = String(cString: ap_jpeg_message(decoder))
            throw ImageError(file: name, kind: .corrupt(message.isEmpty ? "libjpeg error \(code)" : message))
        }
    }
}
