import CellForge
import CellForgeKernels
import Foundation

// Throughput benchmarks. Build in release with the recommended flags (README, "Build flags"):
//   swift run -c release -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DCELLFORGE_FMA Benchmarks
let long = CommandLine.arguments.contains("--long")
let repetitions = long ? 51 : 15
#if CELLFORGE_FMA
let fmaNote = "FMA on (-DCELLFORGE_FMA)"
#else
let fmaNote = "FMA off (build with -DCELLFORGE_FMA and an FMA target CPU)"
#endif
print("CellForge benchmarks — \(fmaNote); \(repetitions) repetitions, median [min–max]")
let peak = FMAPeak.measure(repetitions: 7)
print(String(format: "single-core SIMD8 multiply-add peak: %.1f GFLOP/s", 1 / peak.median * 1e-9))

func ns(_ t: Timing) -> String { String(format: "%8.1f ns [%.1f–%.1f]", t.median * 1e9, t.min * 1e9, t.max * 1e9) }

let bench = SequenceBenchmark(length: 64, repetitions: repetitions)
let kernels: [(String, any RecurrentKernel)] = [("LSTM H8 D8 Float", LSTM_H8_D8_Float()), ("LSTM H32 D32 Float", LSTM_H32_D32_Float()),
                                                ("LSTM H64 D64 Float", LSTM_H64_D64_Float())]
print("\nsingle sequence, T = 64, per time step")
print("kernel                forward (generated)            forward (reference)      speed-up   fwd+bwd (generated)           fwd+bwd (reference)      speed-up")
let only = CommandLine.arguments.firstIndex(of: "--only").map { CommandLine.arguments[$0 + 1] }
for (name, kernel) in kernels where only.map({ name.contains($0) }) ?? true {
    let r = try bench.run(kernel)
    print(name.padding(toLength: 20, withPad: " ", startingAt: 0), ns(r.forward), ns(r.referenceForward),
          String(format: "%6.1f×", r.referenceForward.median / r.forward.median),
          ns(r.training), ns(r.referenceTraining), String(format: "%6.1f×", r.referenceTraining.median / r.training.median))
}
