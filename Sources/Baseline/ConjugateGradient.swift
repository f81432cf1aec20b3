// Preconditioned conjugate gradient for symmetric positive definite systems A·x = b, A given as a function.
// Ridge uses it on the normal equations (XᵀX + αI)·w = Xᵀy with the Jacobi (diagonal) preconditioner.

/// Outcome of a conjugate-gradient solve.
struct ConjugateGradientResult {
    /// The solution estimate.
    let solution: [Double]
    /// Iterations run.
    let iterations: Int
    /// Final ‖b − A·x‖ / ‖b‖.
    let relativeResidual: Double
}

/// Solves A·x = b from `start` until ‖b − A·x‖ ≤ tolerance·‖b‖ or `maxIterations`; `diagonal` is A's diagonal (> 0).
func conjugateGradient(apply: ([Double]) -> [Double], rhs: [Double], diagonal: [Double], start: [Double],
                       tolerance: Double, maxIterations: Int) -> ConjugateGradientResult {
    let count = rhs.count
    let rhsNorm = dot(rhs, rhs).squareRoot()
    guard rhsNorm > 0 else { return ConjugateGradientResult(solution: [Double](repeating: 0, count: count), iterations: 0, relativeResidual: 0) }
    let inverseDiagonal = diagonal.map { $0 > 0 ? 1 / $0 : 1 }
    var x = start
    let product = apply(x)
    var residual = (0..<count).map { rhs[$0] - product[$0] }
    var preconditioned = (0..<count).map { residual[$0] * inverseDiagonal[$0] }
    var direction = preconditioned
    var rho = dot(residual, preconditioned)
    var iterations = 0
    var residualNorm = dot(residual, residual).squareRoot()
    while residualNorm > tolerance * rhsNorm && iterations < maxIterations {
        let curvatureVector = apply(direction)
        let curvature = dot(direction, curvatureVector)
        guard curvature > 0 else { break }
        let step = rho / curvature
        for index in 0..<count {
            x[index] += step * direction[index]
            residual[index] -= step * curvatureVector[index]
            preconditioned[index] = residual[index] * inverseDiagonal[index]
        }
        let nextRho = dot(residual, preconditioned)
        let beta = nextRho / rho
        rho = nextRho
        for index in 0..<count { direction[index] = preconditioned[index] + beta * direction[index] }
        iterations += 1
        residualNorm = dot(residual, residual).squareRoot()
    }
    return ConjugateGradientResult(solution: x, iterations: iterations, relativeResidual: residualNorm / rhsNorm)
}

/// Σ aᵢ·bᵢ in Double.
@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for index in 0..<a.count { sum += a[index] * b[index] }
    return sum
}
