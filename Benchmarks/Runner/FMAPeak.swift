import BenchmarkKit
import CellForge

/// The machine's single-core multiply-add peak for every vector type the kernels use (128-,
/// 256- and 512-bit vectors of Float and Double), measured now: 12 independent chains of
/// `SIMDMath.madd` (one FMA each when built with `-DCELLFORGE_FMA` and an FMA target; a
/// multiply and an add otherwise). Each type runs in its own non-generic function (the
/// generic body is inlined into it and so specialised): generic SIMD code loses its vector
/// instructions.
enum FMAPeak {
    static let chains = 12
    static let iterations = 1_000_000

    #if CELLFORGE_FMA || arch(arm64)
    static let fused = true
    #else
    static let fused = false
    #endif

    /// The peaks, 256-bit ones first (the figures earlier reports carried), then 128 and 512 bits.
    static func measure(_ stopwatch: Stopwatch) -> [Peak] {
        let runs: [(String, Int, Int, (Int) -> Void)] = [
            ("float", 8, 256, runFloat8), ("double", 4, 256, runDouble4),
            ("float", 4, 128, runFloat4), ("double", 2, 128, runDouble2),
            ("float", 16, 512, runFloat16), ("double", 8, 512, runDouble8),
        ]
        return runs.map { scalar, lanes, bits, run in
            let m = stopwatch.measure(units: Double(iterations * chains * lanes * 2)) { run(iterations) }
            return Peak(scalar: scalar, lanes: lanes, bits: bits, chains: chains, fused: fused,
                        gflops: m.stats.reciprocal(times: 1e-9), cpuShare: m.cpuShare)
        }
    }

    @inline(never) static func runFloat4(_ n: Int) { sink += Double(chainsOf(SIMD4<Float>.self, n)) }
    @inline(never) static func runFloat8(_ n: Int) { sink += Double(chainsOf(SIMD8<Float>.self, n)) }
    @inline(never) static func runFloat16(_ n: Int) { sink += Double(chainsOf(SIMD16<Float>.self, n)) }
    @inline(never) static func runDouble2(_ n: Int) { sink += chainsOf(SIMD2<Double>.self, n) }
    @inline(never) static func runDouble4(_ n: Int) { sink += chainsOf(SIMD4<Double>.self, n) }
    @inline(never) static func runDouble8(_ n: Int) { sink += chainsOf(SIMD8<Double>.self, n) }

    /// Twelve multiply-add chains of `iterations` steps; the sum of every lane (so nothing is dead).
    @inline(__always)
    static func chainsOf<V: SIMD>(_: V.Type, _ iterations: Int) -> V.Scalar where V.Scalar: BinaryFloatingPoint {
        let m = V(repeating: 0.999_999), c = V(repeating: 1e-7)
        var a0 = V(repeating: 1), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        for _ in 0..<iterations {
            a0 = SIMDMath.madd(c, a0, m); a1 = SIMDMath.madd(c, a1, m); a2 = SIMDMath.madd(c, a2, m)
            a3 = SIMDMath.madd(c, a3, m); a4 = SIMDMath.madd(c, a4, m); a5 = SIMDMath.madd(c, a5, m)
            a6 = SIMDMath.madd(c, a6, m); a7 = SIMDMath.madd(c, a7, m); a8 = SIMDMath.madd(c, a8, m)
            a9 = SIMDMath.madd(c, a9, m); a10 = SIMDMath.madd(c, a10, m); a11 = SIMDMath.madd(c, a11, m)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
    }
}
