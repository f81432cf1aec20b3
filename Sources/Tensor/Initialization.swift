// Seeded weight initialisation. Fans follow this project's linear convention y = x·W with W [in, out],
// so for a rank-2 shape [fanIn, fanOut]; callers with other layouts pass the fans explicitly.
//   Xavier/Glorot (2010): uniform ±√(6/(fanIn+fanOut)), or normal with std √(2/(fanIn+fanOut)).
//   Kaiming/He (2015), ReLU gain √2: normal with std √(2/fanIn), or uniform ±√(6/fanIn).

extension Tensor {
    /// Uniform draws in [lower, upper).
    public static func uniform(_ shape: [Int], lower: Float, upper: Float, generator: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, scalars: (0..<elementCount(of: shape)).map { _ in generator.nextUniform(in: lower, upper) })
    }

    /// Normal draws with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float,
                              generator: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, scalars: (0..<elementCount(of: shape)).map { _ in mean + standardDeviation * generator.nextGaussian() })
    }

    /// Xavier/Glorot uniform: ±√(6/(fanIn+fanOut)); fans default to a rank-2 shape's [fanIn, fanOut].
    public static func xavierUniform(_ shape: [Int], fanIn: Int? = nil, fanOut: Int? = nil,
                                     generator: inout SeededGenerator) -> Tensor {
        let (inputs, outputs) = fans(shape, fanIn, fanOut)
        let bound = (6 / Float(inputs + outputs)).squareRoot()
        return uniform(shape, lower: -bound, upper: bound, generator: &generator)
    }

    /// Xavier/Glorot normal: std √(2/(fanIn+fanOut)).
    public static func xavierNormal(_ shape: [Int], fanIn: Int? = nil, fanOut: Int? = nil,
                                    generator: inout SeededGenerator) -> Tensor {
        let (inputs, outputs) = fans(shape, fanIn, fanOut)
        return normal(shape, standardDeviation: (2 / Float(inputs + outputs)).squareRoot(), generator: &generator)
    }

    /// Kaiming/He normal for ReLU: std √(2/fanIn).
    public static func kaimingNormal(_ shape: [Int], fanIn: Int? = nil, generator: inout SeededGenerator) -> Tensor {
        let (inputs, _) = fans(shape, fanIn, nil)
        return normal(shape, standardDeviation: (2 / Float(inputs)).squareRoot(), generator: &generator)
    }

    /// Kaiming/He uniform for ReLU: ±√(6/fanIn).
    public static func kaimingUniform(_ shape: [Int], fanIn: Int? = nil, generator: inout SeededGenerator) -> Tensor {
        let (inputs, _) = fans(shape, fanIn, nil)
        let bound = (6 / Float(inputs)).squareRoot()
        return uniform(shape, lower: -bound, upper: bound, generator: &generator)
    }

    /// Resolves fans: explicit values win, else [fanIn, fanOut] of a rank-2 shape, else the element count.
    private static func fans(_ shape: [Int], _ fanIn: Int?, _ fanOut: Int?) -> (Int, Int) {
        let defaultIn = shape.count >= 2 ? shape[0] : Swift.max(1, elementCount(of: shape))
        let defaultOut = shape.count >= 2 ? elementCount(of: Array(shape.dropFirst())) : Swift.max(1, elementCount(of: shape))
        return (Swift.max(1, fanIn ?? defaultIn), Swift.max(1, fanOut ?? defaultOut))
    }
}
