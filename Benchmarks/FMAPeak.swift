import CellForge

/// The machine's single-core multiply-add peak for 8-lane Float vectors, measured now:
/// 12 independent chains of `SIMDMath.madd` (one FMA each when built with
/// `-DCELLFORGE_FMA` and an FMA target; a multiply and an add otherwise).
enum FMAPeak {
    /// Floating-point operations per second (an FMA counts 2).
    static func measure(repetitions: Int) -> Timing {
        let iterations = 4_000_000
        let t = Timing.measure(repetitions: repetitions, units: Double(iterations * 12 * 8 * 2)) { run(iterations) }
        return t
    }

    @inline(never)
    static func run(_ iterations: Int) {
        let m = SIMD8<Float>(repeating: 0.999_999), c = SIMD8<Float>(repeating: 1e-7)
        var a0 = SIMD8<Float>(repeating: 1), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        for _ in 0..<iterations {
            a0 = SIMDMath.madd(c, a0, m); a1 = SIMDMath.madd(c, a1, m); a2 = SIMDMath.madd(c, a2, m)
            a3 = SIMDMath.madd(c, a3, m); a4 = SIMDMath.madd(c, a4, m); a5 = SIMDMath.madd(c, a5, m)
            a6 = SIMDMath.madd(c, a6, m); a7 = SIMDMath.madd(c, a7, m); a8 = SIMDMath.madd(c, a8, m)
            a9 = SIMDMath.madd(c, a9, m); a10 = SIMDMath.madd(c, a10, m); a11 = SIMDMath.madd(c, a11, m)
        }
        let total = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
        sink += Double(total.sum())
    }
}
