import CellForge
import Foundation
import Testing

/// The kernels' vector activations and reductions.
@Suite struct SIMDMathTests {
    /// Documented bound (SIMDMath.tanh): max |tanh_approx(x) − tanh(x)| over [−20, 20] is below
    /// 2.8e-7 with FMA (measured 2.74e-7) and 3.7e-7 without (measured 3.67e-7); checked on
    /// 2²⁰ evenly spaced points plus edges, in whichever build the tests run.
    #if CELLFORGE_FMA || arch(arm64)
    static let tanhBound = 2.8e-7
    #else
    static let tanhBound = 3.7e-7
    #endif

    @Test func tanhErrorBound() {
        var worst = 0.0, worstSigmoid = 0.0
        let n = 1 << 20
        for base in stride(from: 0, to: n, by: 8) {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = Float(-20 + 40 * Double(base + l) / Double(n - 1)) }
            let y = SIMDMath.tanh(v), s = SIMDMath.sigmoid(v)
            for l in 0..<8 {
                let x = Double(v[l])
                worst = max(worst, abs(Double(y[l]) - Foundation.tanh(x)))
                worstSigmoid = max(worstSigmoid, abs(Double(s[l]) - 1 / (1 + Foundation.exp(-x))))
            }
        }
        #expect(worst <= Self.tanhBound, "tanh max error \(worst)")
        #expect(worstSigmoid <= 2.4e-7, "σ max error \(worstSigmoid)")
        #expect(worst > 0)
        // Odd symmetry, saturation, tiny arguments, NaN.
        let edge = SIMDMath.tanh(SIMD4<Float>(-100, 100, 1e-20, .nan))
        #expect(edge[0] == -edge[1] && abs(edge[1] - 1) <= 1e-6)
        #expect(abs(edge[2] - 1e-20) <= 1e-26)
        #expect(edge[3].isNaN)
    }

    @Test func doubleActivationsAreLibm() {
        let v = SIMD4<Double>(-3, -0.5, 0.25, 7)
        let t = SIMDMath.tanh(v), s = SIMDMath.sigmoid(v)
        for l in 0..<4 {
            #expect(t[l] == Foundation.tanh(v[l]))
            #expect(abs(s[l] - 1 / (1 + Foundation.exp(-v[l]))) <= 1e-16)
        }
    }

    /// Folding n accumulators gives their n sums in order.
    @Test func transposingReductionGivesSumsInOrder() {
        var rng = SplitMix64(seed: 3)
        let q = (0..<8).map { _ in SIMD8<Double>((0..<8).map { _ in rng.nextSigned() }) }
        let s = SIMDMath.foldPairs(SIMDMath.foldPairs(SIMDMath.foldPairs(q[0], q[1]), SIMDMath.foldPairs(q[2], q[3])),
                                   SIMDMath.foldPairs(SIMDMath.foldPairs(q[4], q[5]), SIMDMath.foldPairs(q[6], q[7])))
        for j in 0..<8 { #expect(abs(s[j] - q[j].sum()) <= 1e-15) }
        let two = SIMDMath.foldHalves(SIMDMath.foldHalves(SIMDMath.foldPairs(q[0], q[1])))
        #expect(abs(two[0] - q[0].sum()) <= 1e-15 && abs(two[1] - q[1].sum()) <= 1e-15)
        #expect(abs(SIMDMath.foldHalves(SIMDMath.foldHalves(SIMDMath.foldHalves(q[2]))) - q[2].sum()) <= 1e-15)
    }

    /// The Float folds (built on 64-bit lanes) add exactly the pairs the lane-by-lane ones
    /// add, in the same order: equal bit for bit on random values, at every width.
    @Test func floatFoldsEqualLaneByLaneFolds() {
        var rng = SplitMix64(seed: 5)
        func draw<V: SIMD>(_: V.Type) -> V where V.Scalar == Float { V((0..<V.scalarCount).map { _ in rng.nextSigned() }) }
        func pairs<V: SIMD>(_ v: V) -> [Float] where V.Scalar == Float { (0..<V.scalarCount / 2).map { v[2 * $0] + v[2 * $0 + 1] } }
        for _ in 0..<100 {
            let (a4, b4) = (draw(SIMD4<Float>.self), draw(SIMD4<Float>.self))
            let (a8, b8) = (draw(SIMD8<Float>.self), draw(SIMD8<Float>.self))
            let (a16, b16) = (draw(SIMD16<Float>.self), draw(SIMD16<Float>.self))
            let f4 = SIMDMath.foldPairs(a4, b4), f8 = SIMDMath.foldPairs(a8, b8), f16 = SIMDMath.foldPairs(a16, b16)
            #expect((0..<4).map { f4[$0] } == pairs(a4) + pairs(b4))
            #expect((0..<8).map { f8[$0] } == pairs(a8) + pairs(b8))
            #expect((0..<16).map { f16[$0] } == pairs(a16) + pairs(b16))
            let h4 = SIMDMath.foldHalves(a4), h8 = SIMDMath.foldHalves(a8), h16 = SIMDMath.foldHalves(a16)
            #expect((0..<2).map { h4[$0] } == pairs(a4))
            #expect((0..<4).map { h8[$0] } == pairs(a8))
            #expect((0..<8).map { h16[$0] } == pairs(a16))
        }
    }

    /// The out-of-line transposed sums, one per vector type of every width, give the n sums of
    /// n staged n-lane accumulators in order. Inputs are small integers, so every sum is exact
    /// whatever the order of additions.
    @Test func transposedSumsAtEveryWidth() {
        func staged<S: BinaryFloatingPoint>(_ n: Int, _: S.Type) -> [S] { (0..<n * n).map { S(($0 * 7) % 11) - 5 } }
        func expected<S: BinaryFloatingPoint>(_ q: [S], _ n: Int) -> [S] { (0..<n).map { j in q[j * n..<(j + 1) * n].reduce(0, +) } }
        func check<V: SIMD>(_ v: V, _ e: [V.Scalar]) where V.Scalar: BinaryFloatingPoint {
            #expect((0..<V.scalarCount).map { v[$0] } == e, "SIMD\(V.scalarCount)<\(V.Scalar.self)>")
        }
        for n in [4, 8, 16] {
            let q = staged(n, Float.self)
            q.withUnsafeBufferPointer { p in
                switch n {
                case 4: check(SIMDMath.transposedSum(p.baseAddress!, as: SIMD4<Float>.self), expected(q, n))
                case 8: check(SIMDMath.transposedSum(p.baseAddress!, as: SIMD8<Float>.self), expected(q, n))
                default: check(SIMDMath.transposedSum(p.baseAddress!, as: SIMD16<Float>.self), expected(q, n))
                }
            }
        }
        for n in [2, 4, 8] {
            let q = staged(n, Double.self)
            q.withUnsafeBufferPointer { p in
                switch n {
                case 2: check(SIMDMath.transposedSum(p.baseAddress!, as: SIMD2<Double>.self), expected(q, n))
                case 4: check(SIMDMath.transposedSum(p.baseAddress!, as: SIMD4<Double>.self), expected(q, n))
                default: check(SIMDMath.transposedSum(p.baseAddress!, as: SIMD8<Double>.self), expected(q, n))
                }
            }
        }
    }
}
