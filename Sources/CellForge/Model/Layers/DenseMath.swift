/// The dense layer's arithmetic on one step, y = W·x + b with W [O × I] row-major then b [O]
/// (the canonical layout), in SIMD8 vectors over the input dimension.
///
/// Summation order of y_o, fixed by I alone: lane l of one accumulator sums w_oj·x_j for the
/// j ≡ l (mod 8) below I rounded down to a multiple of 8, in increasing j (`SIMDMath.madd`);
/// the lanes are reduced as ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7)); the remaining
/// j follow in order (`SIMDMath.madd`), then b_o is added. Rows are computed four at a time
/// (sharing the loads of x), which changes no row's order. Backward updates every element of
/// δW, δb and δx with one multiply-add per output, outputs in increasing order.
public enum DenseMath {
    /// y = W·x + b: reads O·(I + 1) parameters, I inputs, writes O outputs.
    @inlinable @inline(__always)
    public static func forward<S: CellScalar>(_ w: UnsafePointer<S>, inputSize I: Int, outputSize O: Int,
                                              x: UnsafePointer<S>, y: UnsafeMutablePointer<S>) {
        let bias = w + O * I, vectorEnd = I & ~7
        var o = 0
        while o + 4 <= O {
            let r0 = w + o * I, r1 = r0 + I, r2 = r1 + I, r3 = r2 + I
            var (a0, a1, a2, a3) = (SIMD8<S>(), SIMD8<S>(), SIMD8<S>(), SIMD8<S>())
            var j = 0
            while j < vectorEnd {
                let xv: SIMD8<S> = SIMDMath.load(x, j)
                a0 = SIMDMath.madd(a0, SIMDMath.load(r0, j), xv)
                a1 = SIMDMath.madd(a1, SIMDMath.load(r1, j), xv)
                a2 = SIMDMath.madd(a2, SIMDMath.load(r2, j), xv)
                a3 = SIMDMath.madd(a3, SIMDMath.load(r3, j), xv)
                j += 8
            }
            y[o] = finish(a0, r0, x, from: vectorEnd, to: I) + bias[o]
            y[o + 1] = finish(a1, r1, x, from: vectorEnd, to: I) + bias[o + 1]
            y[o + 2] = finish(a2, r2, x, from: vectorEnd, to: I) + bias[o + 2]
            y[o + 3] = finish(a3, r3, x, from: vectorEnd, to: I) + bias[o + 3]
            o += 4
        }
        while o < O {
            let r = w + o * I
            var a = SIMD8<S>()
            var j = 0
            while j < vectorEnd {
                a = SIMDMath.madd(a, SIMDMath.load(r, j), SIMDMath.load(x, j))
                j += 8
            }
            y[o] = finish(a, r, x, from: vectorEnd, to: I) + bias[o]
            o += 1
        }
    }

    /// The accumulator's lanes reduced in the fixed order, then row[j]·x[j] for j in start..<end.
    @inlinable @inline(__always)
    static func finish<S: CellScalar>(_ a: SIMD8<S>, _ row: UnsafePointer<S>, _ x: UnsafePointer<S>,
                                      from start: Int, to end: Int) -> S {
        let h4 = a.lowHalf + a.highHalf, h2 = h4.lowHalf + h4.highHalf
        var s = h2[0] + h2[1]
        for j in start..<end { s = SIMDMath.madd(s, row[j], x[j]) }
        return s
    }

    /// Backward through one step: adds δW += δy ⊗ x and δb += δy to `gradient` (O·(I + 1)
    /// scalars) and, when `dx` is non-nil, writes δx = Wᵀ·δy there (I scalars, not aliasing δy).
    @inlinable @inline(__always)
    public static func backward<S: CellScalar>(_ w: UnsafePointer<S>, inputSize I: Int, outputSize O: Int,
                                               x: UnsafePointer<S>, dy: UnsafePointer<S>,
                                               dx: UnsafeMutablePointer<S>?, gradient g: UnsafeMutablePointer<S>) {
        let biasGradient = g + O * I, vectorEnd = I & ~7
        for o in 0..<O {
            let d = dy[o], dv = SIMD8<S>(repeating: d), gr = g + o * I
            var j = 0
            while j < vectorEnd {
                SIMDMath.store(SIMDMath.madd(SIMDMath.load(gr, j), dv, SIMDMath.load(x, j)), gr, j)
                j += 8
            }
            while j < I {
                gr[j] = SIMDMath.madd(gr[j], d, x[j])
                j += 1
            }
            biasGradient[o] += d
        }
        guard let dx else { return }
        dx.update(repeating: 0, count: I)
        for o in 0..<O {
            let d = dy[o], dv = SIMD8<S>(repeating: d), r = w + o * I
            var j = 0
            while j < vectorEnd {
                SIMDMath.store(SIMDMath.madd(SIMDMath.load(dx, j), SIMDMath.load(r, j), dv), dx, j)
                j += 8
            }
            while j < I {
                dx[j] = SIMDMath.madd(dx[j], r[j], d)
                j += 1
            }
        }
    }
}
