/// Row indices for training, validation (model selection) and test.
public struct Split: Sendable, Equatable {
    /// Rows a model is fitted on.
    public var train: [Int]
    /// Rows used to pick hyper-parameters (ridge alpha, early stopping).
    public var validation: [Int]
    /// Rows only measured.
    public var test: [Int]
}

/// Deterministic splits of a title list.
public enum Splits {
    /// By start year, like an investor's life: train before `validationFrom` (2021), validate up to
    /// `testFrom` − 1 (2021–2022), test from `testFrom` (2023) on. Row order is kept.
    public static func time(_ titles: [Title], validationFrom: Int = 2021, testFrom: Int = 2023) -> Split {
        var split = Split(train: [], validation: [], test: [])
        for (index, title) in titles.enumerated() {
            let year = title.startDate.year
            if year < validationFrom { split.train.append(index) } else if year < testFrom { split.validation.append(index) } else { split.test.append(index) }
        }
        return split
    }

    /// Fold of each of `count` rows: a Fisher–Yates shuffle of 0..<count driven by SplitMix64(`seed`), then
    /// position `p` goes to fold `p % folds`; fold sizes differ by at most one.
    public static func foldAssignment(count: Int, folds: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed)
        var order = Array(0..<count)
        generator.shuffle(&order)
        var fold = [Int](repeating: 0, count: count)
        for (position, row) in order.enumerated() { fold[row] = position % max(1, folds) }
        return fold
    }

    /// k-fold: split `i` tests on fold i, validates on fold (i + 1) mod k and trains on the rest.
    public static func kFold(count: Int, folds: Int = 5, seed: UInt64 = 42) -> [Split] {
        let assignment = foldAssignment(count: count, folds: folds, seed: seed)
        return (0..<folds).map { fold in
            let validationFold = (fold + 1) % folds
            var split = Split(train: [], validation: [], test: [])
            for (row, rowFold) in assignment.enumerated() {
                if rowFold == fold { split.test.append(row) } else if rowFold == validationFold { split.validation.append(row) } else { split.train.append(row) }
            }
            return split
        }
    }
}
