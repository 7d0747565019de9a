/// The residual of the built-in losses: writes Δ_k = y_k − t_k (times `scale`, when given)
/// and returns Σ (y_k − t_k)² accumulated in Double in four interleaved partial sums (element
/// k into sum k mod 4, then (s0 + s1) + (s2 + s3)): a fixed order, so deterministic, without
/// one long chain of dependent adds (which would cost a sequence as much as its kernel's steps
/// at small H).
@inlinable
func squaredResidual<S: CellScalar>(_ y: UnsafePointer<S>, minus t: UnsafePointer<S>, scale: S?,
                                    into dy: UnsafeMutablePointer<S>, count: Int) -> Double {
    var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
    var k = 0
    while k + 4 <= count {
        let d0 = y[k] - t[k], d1 = y[k + 1] - t[k + 1], d2 = y[k + 2] - t[k + 2], d3 = y[k + 3] - t[k + 3]
        if let scale { (dy[k], dy[k + 1], dy[k + 2], dy[k + 3]) = (scale * d0, scale * d1, scale * d2, scale * d3) }
        else { (dy[k], dy[k + 1], dy[k + 2], dy[k + 3]) = (d0, d1, d2, d3) }
        s0 += Double(d0) * Double(d0)
        s1 += Double(d1) * Double(d1)
        s2 += Double(d2) * Double(d2)
        s3 += Double(d3) * Double(d3)
        k += 4
    }
    while k < count {
        let d = y[k] - t[k]
        dy[k] = scale.map { $0 * d } ?? d
        switch k & 3 {
        case 0: s0 += Double(d) * Double(d)
        case 1: s1 += Double(d) * Double(d)
        case 2: s2 += Double(d) * Double(d)
        default: s3 += Double(d) * Double(d)
        }
        k += 1
    }
    return (s0 + s1) + (s2 + s3)
}
