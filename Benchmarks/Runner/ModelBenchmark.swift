import BenchmarkKit
import CellForge
import CellForgeKernels
import Foundation

/// `--models`: whole models on one core. Training of LSTM(1→8) → LSTM(8→8) → Dense(8→1) and of
/// the mixed model Dense(1→8) → tanh → LSTM(8→8) → Dense(8→8) → sigmoid → Dense(8→1) with
/// `ModelDriver` (one worker, MSE, Adam; sequence-steps per second) and per-sample and per-block
/// streaming of LSTM(1→20) → Dense(20→1) with `ModelStream` (ns per sample). When the process
/// runs under a malloc-counting LD_PRELOAD shim that exports `cellforge_malloc_count()` (see
/// README, "Models"), it also prints the allocations per training step and per streamed sample.
struct ModelBenchmark {
    let options: Options

    func run() {
        #if DEBUG
        FileHandle.standardError.write(Data("Benchmarks: warning: debug build; SIMD code is tens of times slower (use -c release)\n".utf8))
        #endif
        let stopwatch = Stopwatch(policy: options.repetitions)
        let (N, T) = (options.sequences, options.length)
        let stacked = try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)
        let training = try! trainingModel(stacked, recurrent: [KernelLayer(LSTM_H8_D1_Float()), KernelLayer(LSTM_H8_D8_Float())],
                                          N: N, T: T)
        let step = stopwatch.measure(units: Double(N * T)) { training() }
        let trainingAllocations = MallocCounter.perCall(repetitions: 5, training)
        let mixedTraining = try! trainingModel(Self.mixed, recurrent: [KernelLayer(LSTM_H8_D8_Float())], N: N, T: T)
        let mixedStep = stopwatch.measure(units: Double(N * T)) { mixedTraining() }
        let head = stopwatch.measure(units: Double(N * T), headPass(steps: N * T))

        let streamArchitecture = try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [20], outputSize: 1)
        let stream = try! ModelStream(parameters: ModelParameters<Float>.random(streamArchitecture, seed: 2),
            layers: streamArchitecture.openLayers(recurrent: [KernelLayer(LSTM_H20_D1_Float())]), maximumBlock: 64)
        let signal = (0..<4096).map { Float(sin(Double($0) * 0.05)) * 0.8 }
        var out = [Float](repeating: 0, count: signal.count)
        let perSample: () -> Void = {
            var acc: Float = 0
            for x in signal { acc += stream.process(x) }
            sink += Double(acc)
        }
        let perBlock: () -> Void = {
            signal.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    stream.process(input: x.baseAddress!, output: y.baseAddress!, frames: x.count)
                }
            }
            sink += Double(out[0])
        }
        let sample = stopwatch.measure(units: Double(signal.count), perSample)
        let block = stopwatch.measure(units: Double(signal.count), perBlock)
        let sampleAllocations = MallocCounter.perCall(repetitions: 25, perSample)

        let ns = step.stats.median * 1e9
        print("Models, one core (median of \(step.samples) samples)")
        print("  training  LSTM(1→8) → LSTM(8→8) → Dense(8→1), N \(N) × T \(T), MSE + Adam, ModelDriver 1 worker:")
        print("            \(Units.significant(ns)) ns per sequence-step, \(Units.significant(1e3 / ns)) M sequence-steps/s")
        if let peer = options.compare.flatMap({ peerSteps($0, key: "training_sequence_steps_per_second") }) {
            print("            PyTorch (1 thread, same model, N, T, loss and optimizer): \(Units.significant(peer / 1e6)) M sequence-steps/s;"
                  + " CellForge \(Units.significant((1e9 / ns) / peer))× PyTorch")
        }
        let mixedNs = mixedStep.stats.median * 1e9
        print("  training  \(Self.mixed), N \(N) × T \(T), MSE + Adam, ModelDriver 1 worker:")
        print("            \(Units.significant(mixedNs)) ns per sequence-step, \(Units.significant(1e3 / mixedNs)) M sequence-steps/s")
        if let peer = options.compare.flatMap({ peerSteps($0, key: "mixed_training_sequence_steps_per_second") }) {
            print("            PyTorch (1 thread, same model, N, T, loss and optimizer): \(Units.significant(peer / 1e6)) M sequence-steps/s;"
                  + " CellForge \(Units.significant((1e9 / mixedNs) / peer))× PyTorch")
        }
        print("            of which the Dense(8→1) head, forward + backward: \(Units.significant(head.stats.median * 1e9)) ns per sequence-step")
        print("  streaming LSTM(1→20) → Dense(20→1), ModelStream:")
        print("            \(Units.significant(sample.stats.median * 1e9)) ns per sample, one sample per call")
        print("            \(Units.significant(block.stats.median * 1e9)) ns per sample, blocks of \(signal.count) (kernel calls of 64)")
        if let t = trainingAllocations, let s = sampleAllocations {
            print("  allocations (malloc-counting shim): \(Units.significant(t)) per training step,"
                  + " \(Units.significant(s / Double(signal.count))) per streamed sample")
        }
    }

    /// Dense(1→8) → tanh → LSTM(8→8) → Dense(8→8) → sigmoid → Dense(8→1).
    static let mixed = try! ModelArchitecture(layers: [
        .dense(DenseLayerShape(inputSize: 1, outputSize: 8)), .activation(ActivationLayerShape(kind: .tanh, size: 8)),
        .recurrent(RecurrentLayerShape(kind: .lstm, hiddenSize: 8, inputSize: 8)),
        .dense(DenseLayerShape(inputSize: 8, outputSize: 8)), .activation(ActivationLayerShape(kind: .sigmoid, size: 8)),
        .dense(DenseLayerShape(inputSize: 8, outputSize: 1)),
    ])

    /// A closure doing one training step of `architecture` (input and output size 1) on a fixed random batch.
    func trainingModel(_ architecture: ModelArchitecture, recurrent: [any ModelLayer<Float>], N: Int, T: Int) throws -> () -> Void {
        let driver = try ModelDriver(parameters: ModelParameters<Float>.random(architecture, seed: 1),
                                     layers: architecture.openLayers(recurrent: recurrent), workerCount: 1)
        var rng = SplitMix64(seed: 9)
        let batch = try SequenceBatch(inputs: (0..<(N * T)).map { _ in rng.nextSigned(Float.self) },
                                      lengths: Array(repeating: T, count: N), inputSize: 1)
        let supervision = ModelSupervision<Float>.meanSquaredError(targets: (0..<(N * T)).map { _ in rng.nextSigned(Float.self) / 2 })
        var adam = try Adam<Float>(learningRate: 1e-4)
        return {
            let r = try! driver.train(batch, supervision: supervision, optimizer: &adam)
            precondition(r.applied, "benchmark training step refused")
        }
    }

    /// A dense layer's (8 → 1, the head of the benchmark's model) forward and backward over
    /// `steps` steps, as `ModelDriver` runs it.
    func headPass(steps: Int) -> () -> Void {
        let layer = DenseLayer<Float>(shape: try! DenseLayerShape(inputSize: 8, outputSize: 1))
        let parameters = DenseParameters<Float>.random(shape: layer.dense, seed: 3).values
        var rng = SplitMix64(seed: 4)
        let h = (0..<(steps * 8)).map { _ in rng.nextSigned(Float.self) }
        var y = [Float](repeating: 0, count: steps), dh = h, g = parameters
        return {
            parameters.withUnsafeBufferPointer { p in
                h.withUnsafeBufferPointer { h in
                    y.withUnsafeMutableBufferPointer { y in
                        dh.withUnsafeMutableBufferPointer { dh in
                            g.withUnsafeMutableBufferPointer { g in
                                let batch = KernelBatch(count: 1, length: steps, input: h.baseAddress!, inputStride: 0, state: nil,
                                                        stateStride: 0, output: y.baseAddress!, outputStride: 0,
                                                        outputGradient: UnsafePointer(y.baseAddress!), inputGradient: dh.baseAddress!)
                                layer.forward(parameters: p.baseAddress!, batch: batch)
                                layer.backward(parameters: p.baseAddress!, batch: batch, parameterGradient: g.baseAddress!)
                            }
                        }
                    }
                }
            }
            sink += Double(dh[0])
        }
    }

    /// Sequence-steps per second under `key` in a `torch_model.py` JSON.
    func peerSteps(_ path: String, key: String) -> Double? {
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let value = json[key] as? Double else {
            fail("cannot read \(path): not a Benchmarks/peers/torch_model.py JSON", status: 1)
        }
        return value
    }
}
