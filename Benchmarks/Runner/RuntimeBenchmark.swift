import BenchmarkKit
import CellForge
import Foundation

/// `--runtime`: `RuntimeKernel` against each selected generated kernel of the same cell, sizes and
/// scalar, on one core, the same workload for both: per-sample streaming (one `forward` call of
/// one step per sample, no tape), inference of N sequences of T steps through the batched entry
/// point (generated kernels interleave sequences; the run-time kernel runs them one at a time),
/// and training (forward with tape, backward, one call each per sequence). Nanoseconds per
/// sequence-step, median of the samples.
struct RuntimeBenchmark {
    let options: Options

    /// The grid asked for when nothing narrows the selection: Float at 256 bits, H 8, 16, 20, 32,
    /// 64 with D 1 or D = H.
    func inDefaultGrid(_ k: KernelEntry) -> Bool {
        k.scalar == "float" && k.vectorBits == 256 && [8, 16, 20, 32, 64].contains(k.hidden)
            && (k.input == 1 || k.input == k.hidden)
    }

    func run() {
        #if DEBUG
        FileHandle.standardError.write(Data("Benchmarks: warning: debug build; SIMD code is tens of times slower (use -c release)\n".utf8))
        #endif
        let narrowed = options.hidden != nil || options.input != nil || options.scalar != nil || options.vectorBits != nil
            || !options.only.isEmpty
        let entries = kernelCatalog.filter {
            options.selects(names: [$0.typeName, $0.displayName], cell: $0.cell, hidden: $0.hidden, input: $0.input,
                            scalar: $0.scalar, vectorBits: $0.vectorBits) && (narrowed || inDefaultGrid($0))
        }.sorted { ($0.cell.rawValue, $0.hidden, $0.input) < ($1.cell.rawValue, $1.hidden, $1.input) }
        guard !entries.isEmpty else { fail("no kernel matches the selection (see --list)", status: 2) }
        let progress = Progress(enabled: !options.quiet)
        let stopwatch = Stopwatch(policy: options.repetitions)
        print("RuntimeKernel against generated kernels, one core, N \(options.sequences) × T \(options.length), "
              + "ns per sequence-step (median); ratio = run-time / generated")
        print("| kernel | stream gen | stream run-time | ratio | infer N gen | infer N run-time | ratio | train gen | train run-time | ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (i, entry) in entries.enumerated() {
            progress.show("[\(i + 1)/\(entries.count)] \(entry.typeName)")
            let (generated, runtime) = entry.compareRuntime(stopwatch, options)
            progress.clear()
            func cells(_ a: Double, _ b: Double) -> String {
                "\(Units.significant(a * 1e9)) | \(Units.significant(b * 1e9)) | \(Units.significant(b / a))×"
            }
            print("| \(entry.displayName) | \(cells(generated.stream, runtime.stream)) | \(cells(generated.infer, runtime.infer)) | "
                  + "\(cells(generated.train, runtime.train)) |")
        }
    }
}

/// Seconds per sequence-step of one kernel in the three workloads of `RuntimeBenchmark`.
struct RuntimeTimings {
    var stream: Double
    var infer: Double
    var train: Double

    /// Measures `kernel` with parameters `p` on N × T random inputs.
    static func measure<K: RecurrentKernel>(_ kernel: K, _ p: CellParameters<K.Scalar>, _ stopwatch: Stopwatch,
                                            _ options: Options) -> RuntimeTimings {
        let b = Batch(kernel: kernel, parameters: p, sequences: options.sequences, length: options.length)
        let (N, T, H, D) = (b.sequences, b.length, kernel.hiddenSize, kernel.inputSize)
        let (w, x, out, state) = (b.parameters.baseAddress!, b.input.baseAddress!, b.output.baseAddress!, b.state.baseAddress!)
        let stream = stopwatch.measure(units: Double(T)) {
            state.update(repeating: 0, count: kernel.stateSize)
            for t in 0..<T {
                kernel.forward(parameters: w, input: x + t * D, length: 1, state: state, output: out + t * H, tape: nil)
            }
            sink += Double(out[(T - 1) * H])
        }
        let batch = KernelBatch(count: N, length: T, input: x, inputStride: T * D, state: state, stateStride: kernel.stateSize,
                                output: out, outputStride: T * H)
        let infer = stopwatch.measure(units: Double(N * T)) {
            b.state.update(repeating: 0)
            kernel.forward(parameters: w, batch: batch)
            sink += Double(out[0])
        }
        let train = stopwatch.measure(units: Double(N * T)) { SequentialRunner().train(b) }
        sink += Double(b.parameters[0])
        return RuntimeTimings(stream: stream.stats.median, infer: infer.stats.median, train: train.stats.median)
    }
}
