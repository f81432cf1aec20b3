import CSystem
import Foundation

/// SHA-256 (FIPS 180-4) of a byte buffer, used to key cached image features by content.
///
/// The compression function runs on the CPU's SHA extensions where it has them (`CSystem/sha256.h`: a 50 KB
/// poster in ~0.03 ms instead of ~0.25 ms) and as the Swift rounds below elsewhere; both give the same digest.
public enum SHA256 {
    /// Whether this CPU runs the hardware compression function.
    static let hardwareAvailable = animepop_sha256_hardware() == 1

    /// Lower-case hex digest of `data`.
    public static func hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest(data).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// The 32-byte digest of `data`.
    public static func digest(_ data: Data) -> [UInt8] { digest(data, hardware: hardwareAvailable) }

    /// The digest with the hardware compression function or the Swift one (`hardware` must be false where the
    /// CPU lacks it).
    static func digest(_ data: Data, hardware: Bool) -> [UInt8] {
        var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        let compress = hardware ? compressHardware : compressSwift
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let whole = bytes.count / 64
            if let base = bytes.baseAddress, whole > 0 { compress(&state, base, whole) }
            // The last partial block, 0x80, zeros, and the length in bits: one or two blocks.
            var tail = Array(bytes[(whole * 64)...])
            tail.append(0x80)
            while tail.count % 64 != 56 { tail.append(0) }
            let bitLength = UInt64(bytes.count) * 8
            for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
            tail.withUnsafeBufferPointer { if let base = $0.baseAddress { compress(&state, base, $0.count / 64) } }
        }
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
    }

    private static func compressHardware(_ state: inout [UInt32], _ blocks: UnsafePointer<UInt8>, _ count: Int) {
        state.withUnsafeMutableBufferPointer { words in
            if let base = words.baseAddress { animepop_sha256_blocks(base, blocks, count) }
        }
    }

    /// The compression function over `count` 64-byte blocks, in Swift.
    private static func compressSwift(_ state: inout [UInt32], _ blocks: UnsafePointer<UInt8>, _ count: Int) {
        var schedule = [UInt32](repeating: 0, count: 64)
        for block in 0..<count {
            let bytes = blocks + 64 * block
            for i in 0..<16 {
                schedule[i] = UInt32(bytes[4 * i]) << 24 | UInt32(bytes[4 * i + 1]) << 16 | UInt32(bytes[4 * i + 2]) << 8 | UInt32(bytes[4 * i + 3])
            }
            for i in 16..<64 {
                let s0 = rotate(schedule[i - 15], 7) ^ rotate(schedule[i - 15], 18) ^ (schedule[i - 15] >> 3)
                let s1 = rotate(schedule[i - 2], 17) ^ rotate(schedule[i - 2], 19) ^ (schedule[i - 2] >> 10)
                schedule[i] = schedule[i - 16] &+ s0 &+ schedule[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
            for i in 0..<64 {
                let s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                let choice = (e & f) ^ (~e & g)
                let t1 = h &+ s1 &+ choice &+ animepop_sha256_round_constant(Int32(i)) &+ schedule[i]
                let s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ majority
                (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, value) in [a, b, c, d, e, f, g, h].enumerated() { state[i] = state[i] &+ value }
        }
    }

    private static func rotate(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
