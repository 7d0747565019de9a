@testable import CellForge
import Foundation
import Testing

/// The kernels' vector activations and reductions.
@Suite struct SIMDMathTests {
    /// A denormal Float (the one nearest 1e-40), converted at run time: a literal would warn.
    let denormal = Float(1e-40 as Double)

    /// Documented bounds (SIMDMath.tanh): max |tanh_approx(x) − tanh(x)| on 2²⁰ evenly spaced points
    /// of [−20, 20] is below 2.8e-7 with FMA (measured 2.64e-7) and 3.7e-7 without (measured
    /// 3.67e-7), in whichever build the tests run.
    #if CELLFORGE_FMA || arch(arm64)
    static let tanhBound = 2.8e-7
    /// Over every Float of [−20, 20] (measured exhaustively: 2.85e-7, at ±5.838475).
    static let exhaustiveBound = 2.9e-7
    static let worstInput: Float = 5.838475
    #else
    static let tanhBound = 3.7e-7
    /// Over every Float of [−20, 20] (measured exhaustively: 4.10e-7, at ±5.827876; the Horner
    /// form without FMA is unchanged, so this was its error before too).
    static let exhaustiveBound = 4.2e-7
    static let worstInput: Float = 5.827876
    #endif

    /// The 8-lane activations at x, lane by lane.
    static func activations(_ x: [Float]) -> (tanh: [Float], sigmoid: [Float]) {
        var t: [Float] = [], s: [Float] = []
        for base in stride(from: 0, to: x.count, by: 8) {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = x[min(base + l, x.count - 1)] }
            let y = SIMDMath.tanh(v), z = SIMDMath.sigmoid(v)
            for l in 0..<min(8, x.count - base) { t.append(y[l]); s.append(z[l]) }
        }
        return (t, s)
    }

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
    }

    /// Every Float in a window of 2¹⁷ around the input where the exhaustive scan found the largest
    /// error, on both signs.
    @Test func errorBoundNearTheWorstInput() {
        let centre = Int(Self.worstInput.bitPattern)
        let x = (centre - (1 << 16)..<centre + (1 << 16)).flatMap { [Float(bitPattern: UInt32($0)), -Float(bitPattern: UInt32($0))] }
        let t = Self.activations(x).tanh
        let worst = zip(x, t).map { abs(Double($1) - Foundation.tanh(Double($0))) }.max()!
        #expect(worst <= Self.exhaustiveBound, "tanh max error \(worst)")
        #expect(worst > Self.exhaustiveBound - 1e-8, "the window should hold the worst input: \(worst)")
    }

    /// Both evaluation forms, whichever this build uses: the fused (FMA) form and the unfused
    /// Horner form each within their documented bounds, on the 2²⁰-point grid and every Float in
    /// a 2¹⁴ window around each form's worst input. (The build-dependent tests above check only
    /// the form this build's kernels use; CI builds without FMA.)
    @Test(arguments: [true, false]) func bothFormsMeetTheirBounds(fused: Bool) {
        func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
            let (v, x2) = SIMDMath.clamped(x, SIMDMath.tanhClamp)
            return fused ? SIMDMath.rationalFused(v, x2, argumentScale: 1, outputScale: 1)
                         : SIMDMath.rationalUnfused(v, x2, argumentScale: 1, outputScale: 1)
        }
        // The documented figures (SIMDMath.tanh): grid 2.64e-7 / 3.67e-7, everywhere 2.85e-7 / 4.10e-7.
        let (gridBound, bound, worstInput): (Double, Double, Float) = fused ? (2.8e-7, 2.9e-7, 5.838475) : (3.7e-7, 4.2e-7, 5.827876)
        var worstGrid = 0.0, worstWindow = 0.0
        let n = 1 << 20
        for base in stride(from: 0, to: n, by: 8) {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = Float(-20 + 40 * Double(base + l) / Double(n - 1)) }
            let y = tanh(v)
            for l in 0..<8 { worstGrid = max(worstGrid, abs(Double(y[l]) - Foundation.tanh(Double(v[l])))) }
        }
        let centre = Int(worstInput.bitPattern)
        for base in stride(from: centre - (1 << 13), to: centre + (1 << 13), by: 8) {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = Float(bitPattern: UInt32(base + l)) }
            let y = tanh(v)
            for l in 0..<8 { worstWindow = max(worstWindow, abs(Double(y[l]) - Foundation.tanh(Double(v[l])))) }
        }
        #expect(worstGrid <= gridBound, "grid max error \(worstGrid)")
        #expect(worstWindow <= bound, "window max error \(worstWindow)")
        #expect(worstWindow > bound - 1e-8, "the window should hold the worst input: \(worstWindow)")
    }

    /// ±0, denormals, the smallest normals, tiny and huge arguments, ±∞ and NaN, at every width.
    @Test func specialValues() {
        let x: [Float] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, denormal, -denormal,
                          .leastNormalMagnitude, -.leastNormalMagnitude, 1e-20, -1e-20, 1e-4, -1e-4,
                          100, -100, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                          .infinity, -.infinity, .nan, -.nan]
        let (t, s) = Self.activations(x)
        for (k, v) in x.enumerated() where !v.isNaN {
            let exact = Foundation.tanh(Double(v)), exactSigmoid = 1 / (1 + Foundation.exp(-Double(v)))
            #expect(abs(Double(t[k]) - exact) <= Self.tanhBound, "tanh(\(v)) = \(t[k])")
            #expect(abs(Double(s[k]) - exactSigmoid) <= 2.4e-7, "σ(\(v)) = \(s[k])")
            #expect(t[k].sign == v.sign || t[k] == 0 && v != 0 && abs(v) < Float(1e-44 as Double), "sign of tanh(\(v)) = \(t[k])")
            #expect(abs(t[k]) <= 1 && s[k] >= 0 && s[k] <= 1)
        }
        #expect(t[1] == 0 && t[1].sign == .minus, "tanh(−0) = −0")
        #expect(abs(t[8] - 1e-20) <= 1e-26 && abs(t[10] - 1e-4) <= 1e-4 * 2.4e-7)
        #expect(t[18].isNaN && t[19].isNaN && s[18].isNaN && s[19].isNaN)
        #expect(SIMDMath.tanh(Float.nan).isNaN && SIMDMath.tanh(Float(-0.0)).sign == .minus)
    }

    /// σ is ½ + ½·tanh(x/2) bit for bit (its halvings are folded into the coefficients), and the
    /// 2-, 4- and 16-lane forms give the 8-lane form's bits, on 2¹⁶ points of [−40, 40] and the
    /// special values.
    @Test func sigmoidIsHalvedTanhAndWidthsAgree() {
        let n = 1 << 16
        var x = (0..<n).map { Float(-40 + 80 * Double($0) / Double(n - 1)) }
        x += [0, -0.0, denormal, -denormal, 1e-20, .infinity, -.infinity, 2 * SIMDMath.tanh(Float(1)), 15.8106222, -15.8106232]
        let (t, s) = Self.activations(x)
        var mismatches = 0
        for (k, v) in x.enumerated() {
            let viaTanh = SIMDMath.madd(SIMD4<Float>(repeating: 0.5), SIMD4(repeating: 0.5), SIMDMath.tanh(SIMD4(repeating: v) * 0.5))[0]
            let two = SIMD2<Float>(repeating: v), four = SIMD4<Float>(repeating: v), sixteen = SIMD16<Float>(repeating: v)
            let same = s[k] == viaTanh
                && t[k] == SIMDMath.tanh(two)[1] && t[k] == SIMDMath.tanh(four)[2] && t[k] == SIMDMath.tanh(sixteen)[15]
                && s[k] == SIMDMath.sigmoid(two)[1] && s[k] == SIMDMath.sigmoid(four)[2] && s[k] == SIMDMath.sigmoid(sixteen)[15]
            if !same { mismatches += 1 }
        }
        #expect(mismatches == 0)
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
