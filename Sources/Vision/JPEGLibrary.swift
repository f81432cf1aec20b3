import CJPEG

/// Facts about the libjpeg the decoder is linked against.
public enum JPEGLibrary {
    /// libjpeg's ABI version, e.g. "6.2" for libjpeg-turbo's libjpeg62.
    public static var version: String {
        let number = Int(ap_jpeg_lib_version())
        return "\(number / 10).\(number % 10)"
    }
}
