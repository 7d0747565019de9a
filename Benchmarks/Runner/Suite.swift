import Foundation
import BenchmarkKit
import CellForge

/// Runs every selected mode for one kernel and turns timings into results.
final class Suite {
    let options: Options
    let stopwatch: Stopwatch
    let peaks: [Peak]
    let progress: Progress
    var label = ""

    init(options: Options, peaks: [Peak], progress: Progress) {
        self.options = options
        self.stopwatch = Stopwatch(policy: options.repetitions)
        self.peaks = peaks
        self.progress = progress
    }

    /// All results for one generated kernel: latency, then throughput through each runner,
    /// then the reference on a sample of the same batch.
    func run<K: GeneratedKernel>(_ kernel: K) throws -> [BenchmarkResult] {
        let kind = kernel.kind
        let p = try CellParameters<K.Scalar>.random(kind: kind, hiddenSize: kernel.hiddenSize,
                                                    inputSize: kernel.inputSize, seed: 2)
        let batch = Batch(kernel: kernel, parameters: p, sequences: options.sequences, length: options.length,
                          offset: options.misalign)
        let modes = Set(options.modes)
        var results: [BenchmarkResult] = []

        if modes.contains(.latency) {
            progress.show("\(label) latency")
            results.append(result(kernel, "cellforge", "sequential", .latency, threads: 1, sequences: 1,
                                  measured: latency(batch)))
        }
        if modes.contains(.streaming) {
            progress.show("\(label) streaming")
            let pass = streaming(batch)
            var r = result(kernel, "cellforge", "sequential", .streaming, threads: 1, sequences: 1,
                           measured: stopwatch.measure(units: Double(batch.length), pass))
            r.allocationsPerStep = MallocCounter.perCall(repetitions: 3, pass).map { $0 / Double(batch.length) }
            results.append(r)
        }
        // The runners measured: one kernel call per sequence, then the batch driver (which
        // hands the kernel interleaved pieces) on one worker and on every core.
        results += throughput(batch, SequentialRunner(), modes)
        for workers in Set([1, ProcessInfo.processInfo.activeProcessorCount]).sorted() {
            results += throughput(batch, BatchDriverRunner(workers: workers), modes)
        }
        if options.reference && (modes.contains(.forward) || modes.contains(.training)) {
            progress.show("\(label) reference (\(options.referenceSampleSize) sequences)")
            results += try reference(batch, p, modes)
        }
        return results
    }

    /// Per-block latency: one sequence of T steps in one call, no tape, the state carried from
    /// call to call (a stream handed over in blocks of T).
    func latency<K: RecurrentKernel>(_ b: Batch<K>) -> Measurement {
        let (T, kernel) = (b.length, b.kernel)
        let (w, x, out) = (b.parameters.baseAddress!, b.input.baseAddress!, b.output.baseAddress!)
        let state = UnsafeMutableBufferPointer<K.Scalar>.allocate(capacity: kernel.stateSize)
        state.initialize(repeating: 0)
        defer { state.deallocate() }
        let r = stopwatch.measure(units: Double(T)) {
            kernel.forward(parameters: w, input: x, length: T, state: state.baseAddress!, output: out, tape: nil)
        }
        sink += Double(out[0])
        return r
    }

    /// Per-sample streaming: the sequence of `latency`, one `forward` call of length 1 per
    /// sample (T calls, `tape: nil`), the state carried: what a caller pays that hands each
    /// sample over as it arrives. Returns one pass over the T samples.
    func streaming<K: RecurrentKernel>(_ b: Batch<K>) -> () -> Void {
        let (T, kernel, D, H) = (b.length, b.kernel, b.kernel.inputSize, b.kernel.hiddenSize)
        let (w, x, out, state) = (b.parameters.baseAddress!, b.input.baseAddress!, b.output.baseAddress!, b.state.baseAddress!)
        return {
            for t in 0..<T {
                kernel.forward(parameters: w, input: x + t * D, length: 1, state: state, output: out + t * H, tape: nil)
            }
            sink += Double(out[(T - 1) * H])
        }
    }

    /// Forward and training throughput of the whole batch through `runner`.
    func throughput<K: RecurrentKernel, R: BatchRunner>(_ b: Batch<K>, _ runner: R, _ modes: Set<Mode>) -> [BenchmarkResult] {
        let steps = Double(b.sequences * b.length)
        var results: [BenchmarkResult] = []
        if modes.contains(.forward) {
            progress.show("\(label) forward, \(b.sequences) × \(b.length), \(runner.name) ×\(runner.workers)")
            let r = stopwatch.measure(units: steps) { runner.forward(b) }
            sink += Double(b.output[0])
            results.append(result(b.kernel, "cellforge", runner.name, .forward, threads: runner.workers, sequences: b.sequences, measured: r))
        }
        if modes.contains(.training) {
            progress.show("\(label) training, \(b.sequences) × \(b.length), \(runner.name) ×\(runner.workers)")
            let r = stopwatch.measure(units: steps) { runner.train(b) }
            sink += Double(b.parameters[0] + b.inputGradient[0])
            results.append(result(b.kernel, "cellforge", runner.name, .training, threads: runner.workers, sequences: b.sequences, measured: r))
        }
        return results
    }

    /// The reference cell on the first `referenceSampleSize` sequences of the batch.
    func reference<K: RecurrentKernel>(_ b: Batch<K>, _ p: CellParameters<K.Scalar>, _ modes: Set<Mode>) throws -> [BenchmarkResult] {
        let n = min(options.referenceSampleSize, b.sequences)
        let xs = b.referenceInputs(n), dys = b.referenceOutputGradients(n)
        let timings: [Mode: Measurement]
        if let p = p as? CellParameters<Float> {
            timings = try ReferenceBenchmark.measure(p, xs as! [[[Float]]], dys as! [[[Float]]], stopwatch, modes: modes)
        } else {
            timings = try ReferenceBenchmark.measure(p as! CellParameters<Double>, xs as! [[[Double]]], dys as! [[[Double]]],
                                                     stopwatch, modes: modes)
        }
        let name = "Reference\(b.kernel.kind.displayName)<\(K.Scalar.typeName)>"
        return timings.sorted { $0.key < $1.key }.map { mode, t in
            result(b.kernel, "reference", "sequential", mode, threads: 1, sequences: n, measured: t, name: name)
        }
    }

    func result<K: RecurrentKernel>(_ kernel: K, _ implementation: String, _ runner: String, _ mode: Mode, threads: Int,
                                    sequences: Int, measured: Measurement, name: String? = nil) -> BenchmarkResult {
        let scalar = K.Scalar.typeName.lowercased()
        // The width of a generated kernel (none for a reference cell); the peak at that width.
        let bits = name == nil ? (K.self as? any GeneratedKernel.Type).map { $0.layout.vectorWidth * (scalar == "float" ? 32 : 64) } : nil
        let peak = peaks.first { $0.scalar == scalar && $0.bits == (bits ?? 256) } ?? peaks.first { $0.scalar == scalar }
        let peak256 = bits == nil ? nil : peaks.first { $0.scalar == scalar && $0.bits == 256 }
        return BenchmarkResult(kernel: name ?? Self.typeName(kernel), implementation: implementation, runner: runner,
                               cell: Cell(rawValue: kernel.kind.rawValue)!, hidden: kernel.hiddenSize, input: kernel.inputSize,
                               scalar: scalar, mode: mode, threads: threads, sequences: sequences, length: options.length,
                               repetitions: measured.samples, secondsPerStep: measured.stats,
                               peakGflops: peak?.gflops.median, cpuShare: measured.cpuShare,
                               attempts: measured.attempts, vectorBits: bits, peak256Gflops: peak256?.gflops.median)
    }

    /// "LSTM_H8_D8_Float", "LSTM_H32_D32_Float_V512": the kernel's own type name.
    static func typeName<K: RecurrentKernel>(_ kernel: K) -> String { String(describing: K.self) }
}
