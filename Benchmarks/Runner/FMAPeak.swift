import BenchmarkKit
import CellForge

/// The machine's single-core multiply-add peak for the vector types the kernels use,
/// measured now: 12 independent chains of `SIMDMath.madd` (one FMA each when built
/// with `-DCELLFORGE_FMA` and an FMA target; a multiply and an add otherwise). Concrete
/// per type: generic SIMD code loses its vector instructions.
enum FMAPeak {
    static let chains = 12
    static let iterations = 1_000_000

    #if CELLFORGE_FMA || arch(arm64)
    static let fused = true
    #else
    static let fused = false
    #endif

    static func measure(_ stopwatch: Stopwatch) -> [Peak] {
        let fl = stopwatch.measure(units: Double(iterations * chains * 8 * 2)) { runFloat(iterations) }
        let db = stopwatch.measure(units: Double(iterations * chains * 4 * 2)) { runDouble(iterations) }
        return [Peak(scalar: "float", lanes: 8, bits: 256, chains: chains, fused: fused, gflops: fl.stats.reciprocal(times: 1e-9),
                     cpuShare: fl.cpuShare),
                Peak(scalar: "double", lanes: 4, bits: 256, chains: chains, fused: fused, gflops: db.stats.reciprocal(times: 1e-9),
                     cpuShare: db.cpuShare)]
    }

    @inline(never)
    static func runFloat(_ iterations: Int) {
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

    @inline(never)
    static func runDouble(_ iterations: Int) {
        let m = SIMD4<Double>(repeating: 0.999_999), c = SIMD4<Double>(repeating: 1e-7)
        var a0 = SIMD4<Double>(repeating: 1), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        for _ in 0..<iterations {
            a0 = SIMDMath.madd(c, a0, m); a1 = SIMDMath.madd(c, a1, m); a2 = SIMDMath.madd(c, a2, m)
            a3 = SIMDMath.madd(c, a3, m); a4 = SIMDMath.madd(c, a4, m); a5 = SIMDMath.madd(c, a5, m)
            a6 = SIMDMath.madd(c, a6, m); a7 = SIMDMath.madd(c, a7, m); a8 = SIMDMath.madd(c, a8, m)
            a9 = SIMDMath.madd(c, a9, m); a10 = SIMDMath.madd(c, a10, m); a11 = SIMDMath.madd(c, a11, m)
        }
        let total = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
        sink += total.sum()
    }
}
