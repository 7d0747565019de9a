/// The activation functions on the features of one time step, forward and backward, as plain
/// loops over pointers (shared by `ActivationLayer`).
///
/// Rules: tanh and sigmoid are `CellScalar.tanh` and `CellScalar.sigmoid`, their derivatives
/// 1 − y² and y·(1 − y) computed from the output; ReLU, leaky ReLU, ELU and PReLU take the
/// z > 0 branch test, so their derivatives at 0 are those of the other branch, as PyTorch's
/// (ReLU′(0) = 0, leaky′(0) = slope, ELU′(0) = alpha, PReLU′(0) = a_i). ELU is
/// alpha·(e^z − 1) with `CellScalar.exp`. Softmax subtracts the step's maximum before
/// exponentiating; its sums run over the features in order. NaN inputs give NaN outputs.
public enum ActivationMath {
    /// y = f(z) for `count` features of one step. `slopes` holds PReLU's `count` slopes (nil for
    /// other kinds).
    @inlinable @inline(__always)
    public static func forward<S: CellScalar>(_ kind: ActivationKind, z: UnsafePointer<S>, y: UnsafeMutablePointer<S>,
                                              count n: Int, slopes: UnsafePointer<S>?) {
        switch kind {
        case .identity:
            y.update(from: z, count: n)
        case .tanh:
            for i in 0..<n { y[i] = S.tanh(z[i]) }
        case .sigmoid:
            for i in 0..<n { y[i] = S.sigmoid(z[i]) }
        case .relu:
            for i in 0..<n { y[i] = z[i] <= 0 ? 0 : z[i] }
        case let .leakyReLU(slope):
            let c = S(slope)
            for i in 0..<n { y[i] = z[i] > 0 ? z[i] : c * z[i] }
        case let .elu(alpha):
            let c = S(alpha)
            for i in 0..<n { y[i] = z[i] > 0 ? z[i] : c * (S.exp(z[i]) - 1) }
        case .prelu:
            let a = slopes!
            for i in 0..<n { y[i] = z[i] > 0 ? z[i] : a[i] * z[i] }
        case .softmax:
            var m = z[0]
            for i in 1..<n where z[i] > m { m = z[i] }
            var sum: S = 0
            for i in 0..<n {
                let e = S.exp(z[i] - m)
                y[i] = e
                sum += e
            }
            for i in 0..<n { y[i] /= sum }
        }
    }

    /// Backward through one step: δz from z, y = f(z) and δy, written to `dz` when non-nil (it
    /// must not alias `dy`); for PReLU, adds Σ δy·z over the features with z ≤ 0 to
    /// `slopeGradient[i]` when non-nil.
    @inlinable @inline(__always)
    public static func backward<S: CellScalar>(_ kind: ActivationKind, z: UnsafePointer<S>, y: UnsafePointer<S>,
                                               dy: UnsafePointer<S>, dz: UnsafeMutablePointer<S>?, count n: Int,
                                               slopes: UnsafePointer<S>?, slopeGradient: UnsafeMutablePointer<S>?) {
        if case .prelu = kind, let g = slopeGradient {
            for i in 0..<n where !(z[i] > 0) { g[i] += dy[i] * z[i] }
        }
        guard let dz else { return }
        switch kind {
        case .identity:
            dz.update(from: dy, count: n)
        case .tanh:
            for i in 0..<n { dz[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid:
            for i in 0..<n { dz[i] = dy[i] * (y[i] * (1 - y[i])) }
        case .relu:
            for i in 0..<n { dz[i] = z[i] > 0 ? dy[i] : 0 }
        case let .leakyReLU(slope):
            let c = S(slope)
            for i in 0..<n { dz[i] = z[i] > 0 ? dy[i] : c * dy[i] }
        case let .elu(alpha):
            // alpha·e^z = y + alpha on the negative branch.
            let c = S(alpha)
            for i in 0..<n { dz[i] = z[i] > 0 ? dy[i] : dy[i] * (y[i] + c) }
        case .prelu:
            let a = slopes!
            for i in 0..<n { dz[i] = z[i] > 0 ? dy[i] : a[i] * dy[i] }
        case .softmax:
            var c: S = 0
            for i in 0..<n { c += dy[i] * y[i] }
            for i in 0..<n { dz[i] = y[i] * (dy[i] - c) }
        }
    }
}
