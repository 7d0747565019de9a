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
    /// The sums of eight 8-lane accumulators stored one after another at `q`, in order:
    /// lane j = Σ of accumulator j's lanes.
    ///
    /// Deliberately out of line and fed through memory. Inlined after a dot-product loop,
    /// LLVM folds the shuffles back into the loop (blends and spills every iteration);
    /// passed as SIMD8 arguments, the calling convention splits each into two 128-bit
    /// halves and the loop then runs on half-width registers. Staged through memory the
    /// loop keeps full-width accumulators and the call costs a few cycles per eight sums.
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Float>) -> SIMD8<Float> {
        let q0: SIMD8<Float> = load(q, 0), q1: SIMD8<Float> = load(q, 8), q2: SIMD8<Float> = load(q, 16)
        let q3: SIMD8<Float> = load(q, 24), q4: SIMD8<Float> = load(q, 32), q5: SIMD8<Float> = load(q, 40)
        let q6: SIMD8<Float> = load(q, 48), q7: SIMD8<Float> = load(q, 56)
        return foldPairs(foldPairs(foldPairs(q0, q1), foldPairs(q2, q3)), foldPairs(foldPairs(q4, q5), foldPairs(q6, q7)))
    }

    /// The sums of four 4-lane Double accumulators stored one after another at `q`, in order;
    /// out of line and through memory like the Float form.
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Double>) -> SIMD4<Double> {
        let q0: SIMD4<Double> = load(q, 0), q1: SIMD4<Double> = load(q, 4)
        let q2: SIMD4<Double> = load(q, 8), q3: SIMD4<Double> = load(q, 12)
        return foldPairs(foldPairs(q0, q1), foldPairs(q2, q3))
    }
}
