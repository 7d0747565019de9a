@testable import BenchmarkKit

/// Small hand-made reports for the tests.
enum Fixtures {
    static let peaks = [
        Peak(scalar: "float", lanes: 8, bits: 256, chains: 12, fused: true, gflops: Stats(median: 100, min: 90, max: 104)),
        Peak(scalar: "double", lanes: 4, bits: 256, chains: 12, fused: true, gflops: Stats(median: 50, min: 45, max: 52)),
    ]

    /// A result whose median time per step is `ns` nanoseconds (min 0.9×, max 1.2×).
    static func result(_ implementation: String, _ cell: Cell, _ h: Int, _ d: Int, _ mode: Mode, ns: Double,
                       threads: Int = 1, scalar: String = "float", runner: String = "sequential",
                       peak: Double? = 100) -> BenchmarkResult {
        BenchmarkResult(kernel: "\(cell.displayName)_H\(h)_D\(d)_\(scalar.capitalized)", implementation: implementation,
                        runner: runner, cell: cell, hidden: h, input: d, scalar: scalar, mode: mode, threads: threads,
                        sequences: mode == .latency || mode == .streaming ? 1 : 256, length: 64, repetitions: 5,
                        secondsPerStep: Stats(median: ns * 1e-9, min: 0.9 * ns * 1e-9, max: 1.2 * ns * 1e-9),
                        peakGflops: implementation == "pytorch" ? nil : peak)
    }

    static func report(_ results: [BenchmarkResult], producer: String = "cellforge") -> BenchmarkReport {
        BenchmarkReport(producer: producer, date: "2026-11-21T06:30:00Z",
                        machine: Machine(cpu: "AMD EPYC", cores: 2, cpuFlags: ["avx2", "fma"], os: "Linux"),
                        build: Build(compiler: "Swift 6.3.1", configuration: "release", cellforgeFMA: true, targetCPU: "native",
                                     flags: ["-O", "-target-cpu", "native", "-DCELLFORGE_FMA"], vectorBits: 256),
                        settings: Settings(sequences: 256, length: 64, referenceSequences: 8, repetitions: .standard,
                                           long: false, threads: [1]),
                        peaks: producer == "cellforge" ? peaks : [], results: results)
    }

    static let cellforge: [BenchmarkResult] = [
        result("cellforge", .lstm, 8, 8, .latency, ns: 50),
        result("cellforge", .lstm, 8, 8, .streaming, ns: 150),
        result("cellforge", .lstm, 8, 8, .forward, ns: 40),
        result("cellforge", .lstm, 8, 8, .training, ns: 100),
        result("reference", .lstm, 8, 8, .forward, ns: 1000),
        result("reference", .lstm, 8, 8, .training, ns: 3000),
        result("cellforge", .lstm, 64, 64, .latency, ns: 500),
        result("cellforge", .lstm, 64, 64, .training, ns: 4000),
        result("cellforge", .gru, 8, 8, .forward, ns: 45),
        result("cellforge", .rnn, 1, 1, .forward, ns: 10),
        result("cellforge", .lstm, 8, 8, .forward, ns: 60, scalar: "double", peak: 50),
    ]

    static let torch: [BenchmarkResult] = [
        result("pytorch", .lstm, 8, 8, .training, ns: 400, runner: "onednn"),
        result("pytorch", .lstm, 8, 8, .training, ns: 250, threads: 2, runner: "onednn"),
        result("pytorch", .lstm, 64, 64, .training, ns: 5000, runner: "onednn"),
        result("pytorch", .lstm, 64, 64, .training, ns: 3000, threads: 2, runner: "onednn"),
        result("pytorch", .gru, 32, 32, .forward, ns: 900, runner: "native"),
    ]
}
