import Tensor

// Draws for splits and bootstrap resamples on the project's SplitMix64 (Tensor/Random.swift), simple enough
// to port to Python exactly (tools/popularity_reference.py does).
extension SplitMix64 {
    /// A number in 0..<bound by `next() % bound` (bias below 2⁻⁵⁰ for the sizes used here; simple to port).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// Fisher–Yates from the end: for i = n−1 … 1, swap i with `below(i + 1)`.
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for index in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(index, below(index + 1))
        }
    }
}
