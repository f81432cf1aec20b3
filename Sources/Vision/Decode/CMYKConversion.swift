/// CMYK → RGB for JPEGs stored as CMYK or YCCK (libjpeg hands back CMYK for both).
///
/// Photoshop and libjpeg write an Adobe APP14 marker and store CMYK *inverted* (0 = full ink); without the marker
/// the values are taken as plain ink amounts. With ink amounts c, m, y, k in 0…255 the conversion is the
/// multiplicative one PIL and most browsers use: R = (255 − c)(255 − k) / 255, likewise G with m and B with y.
enum CMYKConversion {
    /// RGB bytes for `pixelCount` CMYK pixels; `inverted` is the Adobe convention (stored value = 255 − ink).
    static func rgb(fromCMYK cmyk: [UInt8], pixelCount: Int, inverted: Bool) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        cmyk.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { destination in
                for pixel in 0..<pixelCount {
                    var c = Int(source[pixel * 4]), m = Int(source[pixel * 4 + 1])
                    var y = Int(source[pixel * 4 + 2]), k = Int(source[pixel * 4 + 3])
                    if !inverted { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k }
                    // Now each value is 255 − ink: the light let through.
                    destination[pixel * 3] = UInt8(divideBy255(c * k))
                    destination[pixel * 3 + 1] = UInt8(divideBy255(m * k))
                    destination[pixel * 3 + 2] = UInt8(divideBy255(y * k))
                }
            }
        }
        return rgb
    }

    /// round(value / 255) for 0 ≤ value ≤ 255², exact, without a division.
    @inline(__always)
    static func divideBy255(_ value: Int) -> Int {
        let shifted = value + 128
        return (shifted + (shifted >> 8)) >> 8
    }
}
