// Residual connection: the sum of the stream and a branch.
//
// Shapes: stream, branch, output (N) with N = B·T·C.

/// output = stream + branch.
enum Residual {
    /// output (N) = stream (N) + branch (N).
    static func forward(output: UnsafeMutablePointer<Float>, stream: UnsafePointer<Float>, branch: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { output[i] = stream[i] + branch[i] }
    }

    /// dstream (N) += doutput; dbranch (N) += doutput.
    static func backward(streamGradient: UnsafeMutablePointer<Float>, branchGradient: UnsafeMutablePointer<Float>,
                         outputGradient: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            streamGradient[i] += outputGradient[i]
            branchGradient[i] += outputGradient[i]
        }
    }
}
