import Foundation

/// Vectorised activations and fused multiply-add for the generated kernels.
///
/// Everything here is `@inlinable` and `@inline(__always)` so it is specialised and
/// inlined into each kernel with the kernel module's own build flags.
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

    /// tanh(x) for Float lanes: Eigen's clamped 13/6 rational approximation.
    ///
    /// Maximum absolute error against Double `tanh` over [−20, 20]: 2.8e-7 built with
    /// FMA, 3.7e-7 without (≤ 5 Float ulps of 1; measured and checked by `SIMDMathTests`).
    /// Relative error for |x| < 1e-3 is below 2e-7. NaN lanes stay NaN.
    ///
    /// Concrete overloads per width: on a generic `SIMD` type the clamp's comparisons
    /// compile to a scalar loop over lanes (about 10× slower), on concrete types to
    /// vector instructions.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let limit = SIMD8<Float>(repeating: tanhClamp)
        return rationalTanh(x.replacing(with: limit, where: x .> limit).replacing(with: -limit, where: x .< -limit))
    }

    /// tanh(x) for 16 Float lanes; see the 8-lane form. Transparent (always inlined, where
    /// `@inline(__always)` was not honoured in the 512-bit kernels): an out-of-line call
    /// receives its SIMD16 argument split into halves and made the 512-bit RNN H32 D32
    /// kernel 2× slower than the 256-bit one; inlined it is 1.9× faster.
    @_transparent
    public static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let limit = SIMD16<Float>(repeating: tanhClamp)
        return rationalTanh(x.replacing(with: limit, where: x .> limit).replacing(with: -limit, where: x .< -limit))
    }

    /// tanh(x) for 4 Float lanes; see the 8-lane form.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD4<Float>) -> SIMD4<Float> {
        let limit = SIMD4<Float>(repeating: tanhClamp)
        return rationalTanh(x.replacing(with: limit, where: x .> limit).replacing(with: -limit, where: x .< -limit))
    }

    /// tanh(x) for 2 Float lanes; see the 8-lane form.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD2<Float>) -> SIMD2<Float> {
        let limit = SIMD2<Float>(repeating: tanhClamp)
        return rationalTanh(x.replacing(with: limit, where: x .> limit).replacing(with: -limit, where: x .< -limit))
    }

    /// Where the rational approximation reaches ±1 in Float; inputs are clamped to it.
    @usableFromInline static let tanhClamp: Float = 7.90531110763549805

    /// The 13/6 rational approximation of tanh on clamped input (arithmetic only, so it
    /// vectorises in generic form).
    @inlinable @inline(__always)
    static func rationalTanh<V: SIMD>(_ v: V) -> V where V.Scalar == Float {
        let x2 = v * v
        var p = madd(V(repeating: 2.00018790482477e-13), x2, V(repeating: -2.76076847742355e-16))
        p = madd(V(repeating: -8.60467152213735e-11), x2, p)
        p = madd(V(repeating: 5.12229709037114e-08), x2, p)
        p = madd(V(repeating: 1.48572235717979e-05), x2, p)
        p = madd(V(repeating: 6.37261928875436e-04), x2, p)
        p = madd(V(repeating: 4.89352455891786e-03), x2, p)
        p = v * p
        var q = madd(V(repeating: 1.18534705686654e-04), x2, V(repeating: 1.19825839466702e-06))
        q = madd(V(repeating: 2.26843463243900e-03), x2, q)
        q = madd(V(repeating: 4.89352518554385e-03), x2, q)
        return p / q
    }

    /// σ(x) = ½ + ½·tanh(x/2) for Float lanes; absolute error ≤ half that of `tanh`.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { madd(SIMD8(repeating: 0.5), SIMD8(repeating: 0.5), tanh(x * 0.5)) }

    /// σ(x) for 16 Float lanes.
    @_transparent  // see the 16-lane tanh
    public static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> { madd(SIMD16(repeating: 0.5), SIMD16(repeating: 0.5), tanh(x * 0.5)) }

    /// σ(x) for 4 Float lanes.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD4<Float>) -> SIMD4<Float> { madd(SIMD4(repeating: 0.5), SIMD4(repeating: 0.5), tanh(x * 0.5)) }

    /// σ(x) for 2 Float lanes.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD2<Float>) -> SIMD2<Float> { madd(SIMD2(repeating: 0.5), SIMD2(repeating: 0.5), tanh(x * 0.5)) }

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
