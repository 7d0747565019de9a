/// Clipping of the global gradient norm: when ‖δθ‖₂ > `maxNorm`, every gradient is
/// scaled by `maxNorm / ‖δθ‖₂`, so the update keeps its direction but not its size.
///
/// The norm is accumulated in Double in index order, so it is the same on every run.
public struct GradientClipping: Equatable, Sendable {
    /// The largest gradient norm let through unchanged.
    public let maxNorm: Double

    /// Clipping at `maxNorm`.
    /// - Throws: `CellForgeError.invalidArgument` unless `maxNorm` is finite and > 0.
    public init(maxNorm: Double) throws {
        try HyperParameter.checkPositive("maximum gradient norm", maxNorm)
        self.maxNorm = maxNorm
    }

    /// ‖g‖₂ = √(Σ g²), summed in Double in index order; NaN or infinity if any value is
    /// (or if the sum overflows Double).
    @inlinable
    public static func norm<S: CellScalar>(_ g: UnsafeBufferPointer<S>) -> Double {
        var sum = 0.0
        for v in g { let d = Double(v); sum += d * d }
        return sum.squareRoot()
    }

    /// Scales `g`, whose norm is `norm`, down to `maxNorm` if it is longer; returns whether it did.
    @inlinable
    @discardableResult
    public func apply<S: CellScalar>(to g: UnsafeMutableBufferPointer<S>, norm: Double) -> Bool {
        guard norm > maxNorm else { return false }
        let scale = S(maxNorm / norm)
        for k in g.indices { g[k] *= scale }
        return true
    }
}
