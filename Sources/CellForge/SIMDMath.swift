import Foundation

/// Vectorised activations and fused multiply-add for the generated kernels.
///
/// Everything here is `@inlinable` and `@inline(__always)`, the Float activations
/// `@_transparent`, so it is specialised and inlined into each kernel with the kernel
/// module's own build flags.
public enum SIMDMath {
    /// c + a·b, lane by lane.
    ///
    /// Built with `-DCELLFORGE_FMA` (recommended together with a target CPU that has
    /// FMA, see README), or on arm64, this is one fused multiply-add. Otherwise it is a
    /// separate multiply and add: on a baseline x86-64 target `addingProduct` would
    /// become one libm `fmaf` call per lane, about 100× slower.
    @inlinable @inline(__always)
    public static func madd<V: SIMD>(_ c: V, _ a: V, _ b: V) -> V where V.Scalar: FloatingPoint {
        #if CELLFORGE_FMA || arch(arm64)
        c.addingProduct(a, b)
        #else
        c + a * b
        #endif
    }

    /// c + a·b for scalars, fused under the same conditions as the vector form.
    @inlinable @inline(__always)
    public static func madd<S: FloatingPoint>(_ c: S, _ a: S, _ b: S) -> S {
        #if CELLFORGE_FMA || arch(arm64)
        c.addingProduct(a, b)
        #else
        c + a * b
        #endif
    }

    /// tanh(x) for Float lanes: Eigen's clamped 13/6 rational approximation, evaluated as a
    /// short dependent chain (see `rational`).
    ///
    /// Maximum absolute error against Double `tanh`, measured over every Float in [−20, 20]:
    /// 2.85e-7 built with FMA (at ±5.838; the Horner form before it: 2.92e-7), 4.10e-7 without
    /// (at ±5.828; < 7 Float ulps below 1). On the 2²⁰ evenly spaced points `SIMDMathTests` checks:
    /// 2.64e-7 and 3.67e-7. Relative error for 1e-30 < |x| < 1e-3 is below 2.4e-7. NaN lanes
    /// stay NaN, tanh(±0) = ±0, ±∞ give ±0.99999976.
    ///
    /// Concrete overloads per width: on a generic `SIMD` type the clamp's comparisons
    /// compile to a scalar loop over lanes (about 10× slower), on concrete types to
    /// vector instructions. Transparent (always inlined): `@inline(__always)` was not honoured
    /// for this 8-lane form in a release probe, which then called it out of line.
    @_transparent
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let (v, x2) = clamped(x, tanhClamp)
        return rational(v, x2, argumentScale: 1, outputScale: 1)
    }

    /// tanh(x) for 16 Float lanes; see the 8-lane form. Transparent (always inlined, where
    /// `@inline(__always)` was not honoured in the 512-bit kernels): an out-of-line call
    /// receives its SIMD16 argument split into halves and made the 512-bit RNN H32 D32
    /// kernel 2× slower than the 256-bit one; inlined it is 1.9× faster.
    @_transparent
    public static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let (v, x2) = clamped(x, tanhClamp)
        return rational(v, x2, argumentScale: 1, outputScale: 1)
    }

    /// tanh(x) for 4 Float lanes; see the 8-lane form.
    @_transparent
    public static func tanh(_ x: SIMD4<Float>) -> SIMD4<Float> {
        let (v, x2) = clamped(x, tanhClamp)
        return rational(v, x2, argumentScale: 1, outputScale: 1)
    }

    /// tanh(x) for 2 Float lanes; see the 8-lane form.
    @_transparent
    public static func tanh(_ x: SIMD2<Float>) -> SIMD2<Float> {
        let (v, x2) = clamped(x, tanhClamp)
        return rational(v, x2, argumentScale: 1, outputScale: 1)
    }

    /// σ(x) = ½ + ½·tanh(x/2) for Float lanes. Maximum absolute error against Double over every
    /// Float in [−20, 20]: 1.58e-7 built with FMA, 2.27e-7 without.
    ///
    /// The halving of x and of tanh are folded into the rational's coefficients (scaled by
    /// powers of two, which is exact), so the chain is tanh's plus one add, and the result is
    /// bit for bit `madd(½, ½, tanh(x · ½))`.
    @_transparent
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let (v, x2) = clamped(x, 2 * tanhClamp)
        return 0.5 + rational(v, x2, argumentScale: 0.25, outputScale: 0.25)
    }

    /// σ(x) for 16 Float lanes; see the 8-lane form.
    @_transparent  // see the 16-lane tanh
    public static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let (v, x2) = clamped(x, 2 * tanhClamp)
        return 0.5 + rational(v, x2, argumentScale: 0.25, outputScale: 0.25)
    }

    /// σ(x) for 4 Float lanes; see the 8-lane form.
    @_transparent
    public static func sigmoid(_ x: SIMD4<Float>) -> SIMD4<Float> {
        let (v, x2) = clamped(x, 2 * tanhClamp)
        return 0.5 + rational(v, x2, argumentScale: 0.25, outputScale: 0.25)
    }

    /// σ(x) for 2 Float lanes; see the 8-lane form.
    @_transparent
    public static func sigmoid(_ x: SIMD2<Float>) -> SIMD2<Float> {
        let (v, x2) = clamped(x, 2 * tanhClamp)
        return 0.5 + rational(v, x2, argumentScale: 0.25, outputScale: 0.25)
    }

    /// Where the rational approximation reaches ±1 in Float; inputs are clamped to it.
    @usableFromInline static let tanhClamp: Float = 7.90531110763549805

    /// x clamped to ±limit, and x² clamped to limit² (the same bits as the clamped x squared,
    /// but computed from x, so that the clamp is off the chain into the polynomials). NaN lanes
    /// stay NaN: a comparison with NaN is false, so nothing replaces them.
    @usableFromInline @_transparent
    static func clamped(_ x: SIMD8<Float>, _ limit: Float) -> (SIMD8<Float>, SIMD8<Float>) {
        let l = SIMD8(repeating: limit), l2 = l * l, x2 = x * x
        return (x.replacing(with: l, where: x .> l).replacing(with: -l, where: x .< -l), x2.replacing(with: l2, where: x2 .> l2))
    }

    /// The 16-lane clamp; see the 8-lane form.
    @usableFromInline @_transparent
    static func clamped(_ x: SIMD16<Float>, _ limit: Float) -> (SIMD16<Float>, SIMD16<Float>) {
        let l = SIMD16(repeating: limit), l2 = l * l, x2 = x * x
        return (x.replacing(with: l, where: x .> l).replacing(with: -l, where: x .< -l), x2.replacing(with: l2, where: x2 .> l2))
    }

    /// The 4-lane clamp; see the 8-lane form.
    @usableFromInline @_transparent
    static func clamped(_ x: SIMD4<Float>, _ limit: Float) -> (SIMD4<Float>, SIMD4<Float>) {
        let l = SIMD4(repeating: limit), l2 = l * l, x2 = x * x
        return (x.replacing(with: l, where: x .> l).replacing(with: -l, where: x .< -l), x2.replacing(with: l2, where: x2 .> l2))
    }

    /// The 2-lane clamp; see the 8-lane form.
    @usableFromInline @_transparent
    static func clamped(_ x: SIMD2<Float>, _ limit: Float) -> (SIMD2<Float>, SIMD2<Float>) {
        let l = SIMD2(repeating: limit), l2 = l * l, x2 = x * x
        return (x.replacing(with: l, where: x .> l).replacing(with: -l, where: x .< -l), x2.replacing(with: l2, where: x2 .> l2))
    }

    /// o·v·p(s·x²) / q(s·x²), where v·p(v²)/q(v²) is the 13/6 rational tanh on clamped v and
    /// x2 = v²; s = `argumentScale` and o = `outputScale` are folded into the coefficients
    /// (s = o = 1 for tanh; s = o = ¼ for σ's ½·tanh(x/2), v being x). Arithmetic only, so it
    /// vectorises in generic form.
    ///
    /// With FMA the numerator is v·(a₀ + a₁x²) + v·x⁴·((a₂ + a₃x²) + x⁴·((a₄ + a₅x²) + x⁴·a₆))
    /// and the denominator (b₀ + b₁x²) + x⁴·(b₂ + b₃x²): from x² to the division 4 dependent
    /// operations instead of Horner's 7 (full Estrin, with x⁸, was shorter by one more but
    /// raised the error to 2.9e-7). Without FMA, where an earlier measurement found Estrin
    /// tripling the rounding error, they stay in Horner form, bit for bit the earlier tanh.
    @inlinable @inline(__always)
    static func rational<V: SIMD>(_ v: V, _ x2: V, argumentScale s: Float, outputScale o: Float) -> V
    where V.Scalar == Float {
        #if CELLFORGE_FMA || arch(arm64)
        rationalFused(v, x2, argumentScale: s, outputScale: o)
        #else
        rationalUnfused(v, x2, argumentScale: s, outputScale: o)
        #endif
    }

    /// `rational` in the form FMA builds use: Estrin-style, every multiply-add fused
    /// (`addingProduct`). Compiled in every build so the tests check both forms' error bounds
    /// whatever the flags (without a target CPU that has FMA it is a libm call per lane: slow,
    /// but exact).
    @inlinable @inline(__always)
    static func rationalFused<V: SIMD>(_ v: V, _ x2: V, argumentScale s: Float, outputScale o: Float) -> V
    where V.Scalar == Float {
        let k = RationalCoefficients<V>(argumentScale: s, outputScale: o)
        let x4 = x2 * x2
        let high = k.a2.addingProduct(k.a3, x2).addingProduct(x4, k.a4.addingProduct(k.a5, x2).addingProduct(x4, k.a6))
        let numerator = (v * k.a0.addingProduct(k.a1, x2)).addingProduct(v * x4, high)
        return numerator / k.b0.addingProduct(k.b1, x2).addingProduct(x4, k.b2.addingProduct(k.b3, x2))
    }

    /// `rational` in the form builds without FMA use: Horner, separate multiplies and adds,
    /// bit for bit the earlier tanh. Compiled in every build, like `rationalFused`.
    @inlinable @inline(__always)
    static func rationalUnfused<V: SIMD>(_ v: V, _ x2: V, argumentScale s: Float, outputScale o: Float) -> V
    where V.Scalar == Float {
        let k = RationalCoefficients<V>(argumentScale: s, outputScale: o)
        // v² has the bits of x2; taken from v, the lane loops of this build vectorise (from x2
        // they ran 20–50% slower).
        let y = v * v
        var p = k.a5 + y * k.a6
        p = k.a4 + y * p
        p = k.a3 + y * p
        p = k.a2 + y * p
        p = k.a1 + y * p
        p = k.a0 + y * p
        var q = k.b2 + y * k.b3
        q = k.b1 + y * q
        q = k.b0 + y * q
        return (v * p) / q
    }

    /// tanh(x) for Double lanes: libm per lane, so Double kernels match the reference
    /// to rounding. (Double kernels favour accuracy over speed.)
    @inlinable @inline(__always)
    public static func tanh<V: SIMD>(_ x: V) -> V where V.Scalar == Double {
        var y = V()
        for k in x.indices { y[k] = Foundation.tanh(x[k]) }
        return y
    }

    /// σ(x) for Double lanes, libm per lane.
    @inlinable @inline(__always)
    public static func sigmoid<V: SIMD>(_ x: V) -> V where V.Scalar == Double {
        var y = V()
        for k in x.indices { y[k] = 1 / (1 + Foundation.exp(-x[k])) }
        return y
    }

    /// Scalar tanh with the same approximation as the Float vector form.
    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float { tanh(SIMD4(repeating: x))[0] }

    /// Scalar tanh for Double (libm).
    @inlinable @inline(__always)
    public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }

    /// Loads a vector from `base + offset` (scalar offset; no alignment needed).
    @inlinable @inline(__always)
    public static func load<V: SIMD>(_ base: UnsafePointer<V.Scalar>, _ offset: Int) -> V {
        UnsafeRawPointer(base + offset).loadUnaligned(as: V.self)
    }

    /// Stores a vector at `base + offset` (scalar offset; no alignment needed).
    @inlinable @inline(__always)
    public static func store<V: SIMD>(_ v: V, _ base: UnsafeMutablePointer<V.Scalar>, _ offset: Int) {
        UnsafeMutableRawPointer(base + offset).storeBytes(of: v, as: V.self)
    }
}

/// The 13/6 rational tanh's coefficients in x², with the argument scale s and output scale o
/// folded in (a_k·s^k·o and b_k·s^k; exact for powers of two).
@usableFromInline
struct RationalCoefficients<V: SIMD> where V.Scalar == Float {
    @usableFromInline let a0, a1, a2, a3, a4, a5, a6, b0, b1, b2, b3: V

    @inlinable @inline(__always)
    init(argumentScale s: Float, outputScale o: Float) {
        let s2 = s * s, s3 = s2 * s, s4 = s2 * s2
        a0 = V(repeating: 4.89352455891786e-03 * o); a1 = V(repeating: 6.37261928875436e-04 * s * o)
        a2 = V(repeating: 1.48572235717979e-05 * s2 * o); a3 = V(repeating: 5.12229709037114e-08 * s3 * o)
        a4 = V(repeating: -8.60467152213735e-11 * s4 * o); a5 = V(repeating: 2.00018790482477e-13 * s4 * s * o)
        a6 = V(repeating: -2.76076847742355e-16 * s4 * s2 * o)
        b0 = V(repeating: 4.89352518554385e-03); b1 = V(repeating: 2.26843463243900e-03 * s)
        b2 = V(repeating: 1.18534705686654e-04 * s2); b3 = V(repeating: 1.19825839466702e-06 * s3)
    }
}
