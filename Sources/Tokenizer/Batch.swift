extension Tokenizer {
    /// Token ids of many texts, in order, encoded on `threads` threads (contiguous shares, one encoder
    /// and word cache per thread).
    public func encodeBatch(_ texts: [String], threads: Int = 2) -> [[Int]] {
        let shares = max(1, min(threads, texts.count))
        if shares <= 1 {
            let encoder = makeEncoder()
            return texts.map { encoder.encode($0) }
        }
        let parts = parallelMap(workers: shares) { worker in
            let encoder = self.makeEncoder()
            let begin = texts.count * worker / shares
            let end = texts.count * (worker + 1) / shares
            return texts[begin..<end].map { encoder.encode($0) }
        }
        return parts.flatMap { $0 }
    }
}
