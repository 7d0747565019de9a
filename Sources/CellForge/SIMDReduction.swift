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

extension SIMDMath {
    /// The sums of eight 8-lane accumulators, in order: lane j = q_j.sum().
    ///
    /// Deliberately out of line: inlined after a dot-product loop, LLVM folds the
    /// shuffles back into the loop and keeps the accumulators in a mixed layout with
    /// blends and stack spills each iteration (measured 3× slower); as a call it costs
    /// a few cycles per eight sums.
    @inline(never)
    public static func transposedSum(_ q0: SIMD8<Float>, _ q1: SIMD8<Float>, _ q2: SIMD8<Float>, _ q3: SIMD8<Float>,
                                     _ q4: SIMD8<Float>, _ q5: SIMD8<Float>, _ q6: SIMD8<Float>, _ q7: SIMD8<Float>) -> SIMD8<Float> {
        foldPairs(foldPairs(foldPairs(q0, q1), foldPairs(q2, q3)), foldPairs(foldPairs(q4, q5), foldPairs(q6, q7)))
    }

    /// The sums of four 4-lane Double accumulators, in order; out of line like the Float form.
    @inline(never)
    public static func transposedSum(_ q0: SIMD4<Double>, _ q1: SIMD4<Double>, _ q2: SIMD4<Double>,
                                     _ q3: SIMD4<Double>) -> SIMD4<Double> {
        foldPairs(foldPairs(q0, q1), foldPairs(q2, q3))
    }
}
