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
        SIMD16(lowHalf: a.evenHalf + a.oddHalf, highHalf: b.evenHalf + b.oddHalf)
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

/// Float folds without `evenHalf`/`oddHalf`: the standard library builds those lane by lane
/// (LLVM keeps most of it scalar: 69 instructions for a SIMD8 `foldPairs`, and `SIMD32`'s stay
/// out-of-line calls, 27% of LSTM H8 D8 training at 512 bits). Seen as 64-bit lanes, the even
/// Float of a pair is the low half and the odd one the high half, so a truncation and a shift
/// (one shuffle each) give the same lanes, and the same sums bit for bit.
extension SIMDMath {
    /// [v0 + v1, v2 + v3, …]: neighbouring lanes added.
    @inlinable @inline(__always)
    public static func foldHalves(_ v: SIMD4<Float>) -> SIMD2<Float> {
        let pairs = unsafeBitCast(v, to: SIMD2<UInt64>.self)
        return unsafeBitCast(SIMD2<UInt32>(truncatingIfNeeded: pairs), to: SIMD2<Float>.self)
            + unsafeBitCast(SIMD2<UInt32>(truncatingIfNeeded: pairs &>> 32), to: SIMD2<Float>.self)
    }

    /// [v0 + v1, v2 + v3, …]: neighbouring lanes added.
    @inlinable @inline(__always)
    public static func foldHalves(_ v: SIMD8<Float>) -> SIMD4<Float> {
        let pairs = unsafeBitCast(v, to: SIMD4<UInt64>.self)
        return unsafeBitCast(SIMD4<UInt32>(truncatingIfNeeded: pairs), to: SIMD4<Float>.self)
            + unsafeBitCast(SIMD4<UInt32>(truncatingIfNeeded: pairs &>> 32), to: SIMD4<Float>.self)
    }

    /// [v0 + v1, v2 + v3, …]: neighbouring lanes added.
    @inlinable @inline(__always)
    public static func foldHalves(_ v: SIMD16<Float>) -> SIMD8<Float> {
        let pairs = unsafeBitCast(v, to: SIMD8<UInt64>.self)
        return unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: pairs), to: SIMD8<Float>.self)
            + unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: pairs &>> 32), to: SIMD8<Float>.self)
    }

    /// Pairwise lane sums of a then b.
    @inlinable @inline(__always)
    public static func foldPairs(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        SIMD4(lowHalf: foldHalves(a), highHalf: foldHalves(b))
    }

    /// Pairwise lane sums of a then b.
    @inlinable @inline(__always)
    public static func foldPairs(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(lowHalf: foldHalves(a), highHalf: foldHalves(b))
    }

    /// Pairwise lane sums of a then b.
    @inlinable @inline(__always)
    public static func foldPairs(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: foldHalves(a), highHalf: foldHalves(b))
    }
}

/// The out-of-line transposing reductions, one per vector type: n accumulators of n lanes
/// each, stored one after another at `q`, give one n-lane vector whose lane j is the sum of
/// accumulator j's lanes.
///
/// Deliberately out of line and fed through memory. Inlined after a dot-product loop,
/// LLVM folds the shuffles back into the loop (blends and spills every iteration); passed
/// as vector arguments, the calling convention splits wide vectors into halves and the loop
/// then runs on half-width registers. Staged through memory the loop keeps full-width
/// accumulators and the call costs a few cycles per group of sums.
extension SIMDMath {
    /// Sums of four SIMD4<Float> accumulators at `q`, in order (128-bit kernels).
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Float>, as _: SIMD4<Float>.Type) -> SIMD4<Float> {
        let q0: SIMD4<Float> = load(q, 0), q1: SIMD4<Float> = load(q, 4)
        let q2: SIMD4<Float> = load(q, 8), q3: SIMD4<Float> = load(q, 12)
        return foldPairs(foldPairs(q0, q1), foldPairs(q2, q3))
    }

    /// Sums of eight SIMD8<Float> accumulators at `q`, in order (256-bit kernels). Neighbours
    /// first: the halves-first order of the 16-lane form made 256-bit training 0–6% slower
    /// here (Zen 4: RNN H64 D64 730 against 772, LSTM H8 D8 70.7 against 75.0 ns per sequence-step).
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Float>, as _: SIMD8<Float>.Type) -> SIMD8<Float> {
        let q0: SIMD8<Float> = load(q, 0), q1: SIMD8<Float> = load(q, 8), q2: SIMD8<Float> = load(q, 16)
        let q3: SIMD8<Float> = load(q, 24), q4: SIMD8<Float> = load(q, 32), q5: SIMD8<Float> = load(q, 40)
        let q6: SIMD8<Float> = load(q, 48), q7: SIMD8<Float> = load(q, 56)
        return foldPairs(foldPairs(foldPairs(q0, q1), foldPairs(q2, q3)), foldPairs(foldPairs(q4, q5), foldPairs(q6, q7)))
    }

    /// Sums of sixteen SIMD16<Float> accumulators at `q`, in order (512-bit kernels).
    ///
    /// Halves first: three levels add the upper half of each block of lanes to its lower half,
    /// two accumulators per vector (16-, 8-, then 4-lane blocks), the accumulators read in
    /// the order 0, 8, 1, 9, … so that the last level (neighbouring lanes, `foldPairs`) leaves
    /// sum j in lane j. The same 15 vector adds as folding neighbours from the start, but the
    /// halves take whole-register and in-lane shuffles where neighbour folds at 16 lanes
    /// compiled to cross-lane packs: 14 against 20 ns for the reduction alone, and 512-bit
    /// training 2–8% faster (Zen 4, N = 256 × 64: RNN H64 D64 558 → 513, LSTM H64 D64
    /// 1701 → 1658, GRU H32 D32 356 → 343 ns per sequence-step).
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Float>, as _: SIMD16<Float>.Type) -> SIMD16<Float> {
        /// Accumulator j = k / 2 + 8 · (k mod 2).
        func at(_ k: Int) -> SIMD16<Float> { load(q, 16 * (k / 2 + 8 * (k % 2))) }
        let a0 = foldHalvesOfBlocks(at(0), at(8)), a1 = foldHalvesOfBlocks(at(1), at(9))
        let a2 = foldHalvesOfBlocks(at(2), at(10)), a3 = foldHalvesOfBlocks(at(3), at(11))
        let a4 = foldHalvesOfBlocks(at(4), at(12)), a5 = foldHalvesOfBlocks(at(5), at(13))
        let a6 = foldHalvesOfBlocks(at(6), at(14)), a7 = foldHalvesOfBlocks(at(7), at(15))
        let b0 = foldHalvesOfBlocks8(a0, a4), b1 = foldHalvesOfBlocks8(a1, a5)
        let b2 = foldHalvesOfBlocks8(a2, a6), b3 = foldHalvesOfBlocks8(a3, a7)
        return foldPairs(foldHalvesOfBlocks4(b0, b2), foldHalvesOfBlocks4(b1, b3))
    }

    /// [x.low + x.high, y.low + y.high]: each vector's halves added, x's sums then y's.
    @inlinable @inline(__always)
    static func foldHalvesOfBlocks(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: x.lowHalf, highHalf: y.lowHalf) + SIMD16(lowHalf: x.highHalf, highHalf: y.highHalf)
    }

    /// `foldHalvesOfBlocks` within each 8-lane half: halves of 4 lanes added, x's then y's.
    @inlinable @inline(__always)
    static func foldHalvesOfBlocks8(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> {
        func fold(_ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
            SIMD8(lowHalf: x.lowHalf, highHalf: y.lowHalf) + SIMD8(lowHalf: x.highHalf, highHalf: y.highHalf)
        }
        return SIMD16(lowHalf: fold(x.lowHalf, y.lowHalf), highHalf: fold(x.highHalf, y.highHalf))
    }

    /// `foldHalvesOfBlocks` within each 4-lane quarter: halves of 2 lanes added, x's then y's.
    @inlinable @inline(__always)
    static func foldHalvesOfBlocks4(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> {
        func fold(_ x: SIMD4<Float>, _ y: SIMD4<Float>) -> SIMD4<Float> {
            SIMD4(lowHalf: x.lowHalf, highHalf: y.lowHalf) + SIMD4(lowHalf: x.highHalf, highHalf: y.highHalf)
        }
        func quarters(_ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
            SIMD8(lowHalf: fold(x.lowHalf, y.lowHalf), highHalf: fold(x.highHalf, y.highHalf))
        }
        return SIMD16(lowHalf: quarters(x.lowHalf, y.lowHalf), highHalf: quarters(x.highHalf, y.highHalf))
    }

    /// Sums of two SIMD2<Double> accumulators at `q`, in order (128-bit kernels).
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Double>, as _: SIMD2<Double>.Type) -> SIMD2<Double> {
        foldPairs(load(q, 0) as SIMD2<Double>, load(q, 2))
    }

    /// Sums of four SIMD4<Double> accumulators at `q`, in order (256-bit kernels).
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Double>, as _: SIMD4<Double>.Type) -> SIMD4<Double> {
        let q0: SIMD4<Double> = load(q, 0), q1: SIMD4<Double> = load(q, 4)
        let q2: SIMD4<Double> = load(q, 8), q3: SIMD4<Double> = load(q, 12)
        return foldPairs(foldPairs(q0, q1), foldPairs(q2, q3))
    }

    /// Sums of eight SIMD8<Double> accumulators at `q`, in order (512-bit kernels).
    @inline(never)
    public static func transposedSum(_ q: UnsafePointer<Double>, as _: SIMD8<Double>.Type) -> SIMD8<Double> {
        let q0: SIMD8<Double> = load(q, 0), q1: SIMD8<Double> = load(q, 8), q2: SIMD8<Double> = load(q, 16)
        let q3: SIMD8<Double> = load(q, 24), q4: SIMD8<Double> = load(q, 32), q5: SIMD8<Double> = load(q, 40)
        let q6: SIMD8<Double> = load(q, 48), q7: SIMD8<Double> = load(q, 56)
        return foldPairs(foldPairs(foldPairs(q0, q1), foldPairs(q2, q3)), foldPairs(foldPairs(q4, q5), foldPairs(q6, q7)))
    }
}
