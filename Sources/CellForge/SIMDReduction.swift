/// Transposing reductions for the generated kernels' Wᵀ·δ and Uᵀ·δ products.
///
/// `foldPairs(a, b)` adds neighbouring lanes of a and b into one vector of the same
/// width: [a0+a1, a2+a3, …, b0+b1, …]. Folding n accumulators pairwise, then folding
/// halves of the result, turns n dot-product accumulators into one vector of their n
/// sums in order, with log₂ steps of shuffles and adds instead of n full reductions.
extension SIMDMath {
    /// Pairwise lane sums of a then b.
    @inlinable @inline(__always)
    public static func foldPairs<T: SIMDScalar & FloatingPoint>(_ a: SIMD2<T>, _ b: SIMD2<T>) -> SIMD2<T> {
        let c = SIMD4(lowHalf: a, highHalf: b)
        return c.evenHalf + c.oddHalf
    }

    /// Pairwise lane sums of a then b.
    @inlinable @inline(__always)
    public static func foldPairs<T: SIMDScalar & FloatingPoint>(_ a: SIMD4<T>, _ b: SIMD4<T>) -> SIMD4<T> {
        let c = SIMD8(lowHalf: a, highHalf: b)
        return c.evenHalf + c.oddHalf
    }

    /// Pairwise lane sums of a then b.
    @inlinable @inline(__always)
    public static func foldPairs<T: SIMDScalar & FloatingPoint>(_ a: SIMD8<T>, _ b: SIMD8<T>) -> SIMD8<T> {
        let c = SIMD16(lowHalf: a, highHalf: b)
        return c.evenHalf + c.oddHalf
    }

    /// Pairwise lane sums of a then b.
    @inlinable @inline(__always)
    public static func foldPairs<T: SIMDScalar & FloatingPoint>(_ a: SIMD16<T>, _ b: SIMD16<T>) -> SIMD16<T> {
        let c = SIMD32(lowHalf: a, highHalf: b)
        return c.evenHalf + c.oddHalf
    }

    /// Neighbouring lanes of v added: half as many lanes.
    @inlinable @inline(__always)
    public static func foldHalves<T: SIMDScalar & FloatingPoint>(_ v: SIMD2<T>) -> T { v[0] + v[1] }

    /// Neighbouring lanes of v added: half as many lanes.
    @inlinable @inline(__always)
    public static func foldHalves<T: SIMDScalar & FloatingPoint>(_ v: SIMD4<T>) -> SIMD2<T> { v.evenHalf + v.oddHalf }

    /// Neighbouring lanes of v added: half as many lanes.
    @inlinable @inline(__always)
    public static func foldHalves<T: SIMDScalar & FloatingPoint>(_ v: SIMD8<T>) -> SIMD4<T> { v.evenHalf + v.oddHalf }

    /// Neighbouring lanes of v added: half as many lanes.
    @inlinable @inline(__always)
    public static func foldHalves<T: SIMDScalar & FloatingPoint>(_ v: SIMD16<T>) -> SIMD8<T> { v.evenHalf + v.oddHalf }
}
