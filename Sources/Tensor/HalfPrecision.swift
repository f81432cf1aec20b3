// Bit-exact conversions between Float32 and the 16-bit formats safetensors stores:
// IEEE 754 binary16 ("F16") and bfloat16 ("BF16"). Written out rather than using `Float16`,
// which is unavailable on some platforms; rounding is to nearest, ties to even.

/// Conversions between Float32 and 16-bit float bit patterns.
public enum HalfPrecision {
    /// The Float32 value of an IEEE binary16 bit pattern (exact).
    @inlinable
    public static func float(fromHalf bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1f
        let mantissa = UInt32(bits & 0x3ff)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2⁻²⁴.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// The IEEE binary16 bit pattern nearest to `value` (ties to even; overflow gives ±infinity).
    @inlinable
    public static func half(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let floatExponent = Int((bits >> 23) & 0xff)
        var mantissa = bits & 0x7f_ffff
        if floatExponent == 255 {  // infinity or NaN (kept quiet)
            return sign | 0x7c00 | (mantissa != 0 ? 0x200 | UInt16(mantissa >> 13) : 0)
        }
        let exponent = floatExponent - 127 + 15
        if exponent >= 31 { return sign | 0x7c00 }
        if exponent <= 0 {
            if exponent < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - exponent)
            var result = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && result & 1 == 1) { result += 1 }
            return sign | UInt16(result)
        }
        var result = (UInt32(exponent) << 10) | (mantissa >> 13)
        let remainder = mantissa & 0x1fff
        if remainder > 0x1000 || (remainder == 0x1000 && result & 1 == 1) { result += 1 }
        if result >= 0x7c00 { return sign | 0x7c00 }
        return sign | UInt16(result)
    }

    /// The Float32 value of a bfloat16 bit pattern (exact).
    @inlinable
    public static func float(fromBFloat bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// The bfloat16 bit pattern nearest to `value` (ties to even; NaN stays NaN).
    @inlinable
    public static func bfloat(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
        let rounded = bits &+ 0x7fff &+ ((bits >> 16) & 1)
        return UInt16(rounded >> 16)
    }
}
