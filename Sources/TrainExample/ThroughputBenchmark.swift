import CellForge
import CellForgeKernels
import Foundation

/// Throughput of `BatchDriver` (`cellforge-train --benchmark`): sequence-steps per second
/// for a batch of N = 256 sequences of T = 64 steps, training (forward, Δ = h − y,
/// backward, SGD step) and inference, with 1 worker and with `--workers` workers (default:
/// the active cores); training also as a plain
/// serial loop over the same kernel, which shows whether the generic driver is
/// specialised for the kernel. Training computes δx too (as the flop model counts it,
/// and as PyTorch does with x.requires_grad). GFLOP/s count 24·H·(D + H) per training
/// step and a third of that per inference step (DESIGN.md's model).
/// Build in release with a target CPU, e.g.
/// `swift run -c release -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DCELLFORGE_FMA cellforge-train --benchmark`.
enum ThroughputBenchmark {
    static let (sequences, length) = (256, 64)

    static func run(workers: Int) throws {
        print("throughput, N = \(sequences), T = \(length), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
              + "1 and \(workers) workers; best of 8 rounds of ≥ 0.25 s (median in parentheses)")
        try report(LSTM_H8_D8_Float(), workers: workers)
        try report(LSTM_H32_D32_Float(), workers: workers)
    }

    static func report<K: GeneratedKernel>(_ kernel: K, workers: Int) throws where K.Scalar == Float {
        let (H, D) = (kernel.hiddenSize, kernel.inputSize)
        let flops = Double(24 * H * (D + H))
        var rng = SplitMix64(seed: 7)
        let p = try CellParameters<Float>.random(kind: kernel.kind, hiddenSize: H, inputSize: D, seed: 1)
        let x = (0..<(sequences * length * D)).map { _ in rng.nextSigned(Float.self) }
        let y = (0..<(sequences * length * H)).map { _ in rng.nextSigned(Float.self) * 0.5 }
        let batch = try SequenceBatch(inputs: x, lengths: Array(repeating: length, count: sequences), inputSize: D)

        func line(_ name: String, _ rates: (best: Double, median: Double), flopsPerStep: Double = flops) {
            let label = "LSTM H\(H) D\(D), \(name)".padding(toLength: 46, withPad: " ", startingAt: 0)
            print("  " + label + String(format: "%7.3f M seq-steps/s (median %7.3f)  %6.2f GFLOP/s",
                                        rates.best / 1e6, rates.median / 1e6, rates.best * flopsPerStep / 1e9))
        }
        let drivers = try [1, workers].map { try BatchDriver(kernel: kernel, parameters: p, workerCount: $0) }
        var sgd = try SGD<Float>(learningRate: 1e-7)
        // Rounds alternate between the three so that load from other processes hits all alike.
        var states = [Float](repeating: 0, count: sequences * kernel.stateSize), outputs: [Float] = []
        var dx = [Float](repeating: 0, count: x.count)
        let rates = try measure([
            { try serialLoop(kernel, p, x, y) },
            { _ = try dx.withUnsafeMutableBufferPointer { try drivers[0].train(batch, supervision: .l2(targets: y), optimizer: &sgd, buffers: ModelStepBuffers(inputGradients: $0)) } },
            { _ = try dx.withUnsafeMutableBufferPointer { try drivers[1].train(batch, supervision: .l2(targets: y), optimizer: &sgd, buffers: ModelStepBuffers(inputGradients: $0)) } },
            { try drivers[0].infer(batch, states: &states, outputs: &outputs) },
            { try drivers[1].infer(batch, states: &states, outputs: &outputs) },
        ])
        line("training, serial kernel loop", rates[0])
        line("training, driver, 1 worker", rates[1])
        line("training, driver, \(workers) workers", rates[2])
        print(String(format: "  LSTM H%d D%d training scaling, %d workers / 1 worker: %.2f× (medians %.2f×)", H, D, workers,
                     rates[2].best / rates[1].best, rates[2].median / rates[1].median))
        line("inference, driver, 1 worker", rates[3], flopsPerStep: flops / 3)
        line("inference, driver, \(workers) workers", rates[4], flopsPerStep: flops / 3)
    }

    /// Sequence-steps per second of each `step` (one whole batch): best and median of
    /// `rounds` rounds of ≥ 0.25 s each, the steps taking turns round by round.
    static func measure(_ steps: [() throws -> Void], rounds: Int = 8) throws -> [(best: Double, median: Double)] {
        for step in steps { try step() }
        var rates = Array(repeating: [Double](), count: steps.count)
        for _ in 0..<rounds {
            for (k, step) in steps.enumerated() {
                var count = 0
                let start = DispatchTime.now().uptimeNanoseconds
                var elapsed = 0.0
                repeat {
                    try step()
                    count += 1
                    elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                } while elapsed < 0.25
                rates[k].append(Double(count * sequences * length) / elapsed)
            }
        }
        return rates.map { r in let s = r.sorted(); return (s.last!, s[s.count / 2]) }
    }

    /// The driver's work done by hand, serially, on one gradient buffer.
    static func serialLoop<K: GeneratedKernel>(_ kernel: K, _ p: CellParameters<Float>, _ x: [Float], _ y: [Float]) throws
        where K.Scalar == Float {
        let (H, D, S) = (kernel.hiddenSize, kernel.inputSize, kernel.stateSize)
        let P = kernel.parameterStorageCount
        let state = UnsafeMutablePointer<Float>.allocate(capacity: S)
        let tape = UnsafeMutablePointer<Float>.allocate(capacity: kernel.tapeCount(length: length))
        let output = UnsafeMutablePointer<Float>.allocate(capacity: length * H)
        let dx = UnsafeMutablePointer<Float>.allocate(capacity: length * D)
        let storage = UnsafeMutableBufferPointer<Float>.allocate(capacity: P)
        let gradient = UnsafeMutableBufferPointer<Float>.allocate(capacity: P)
        defer { state.deallocate(); tape.deallocate(); output.deallocate(); dx.deallocate(); storage.deallocate(); gradient.deallocate() }
        kernel.pack(p, into: storage)
        gradient.initialize(repeating: 0)
        var sgd = try SGD<Float>(learningRate: 1e-7)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                let w = UnsafePointer(storage.baseAddress!)
                for n in 0..<sequences {
                    state.update(repeating: 0, count: S)
                    let input = x.baseAddress! + n * length * D, target = y.baseAddress! + n * length * H
                    kernel.forward(parameters: w, input: input, length: length, state: state, output: output, tape: tape)
                    for k in 0..<(length * H) { output[k] -= target[k] }
                    kernel.backward(parameters: w, input: input, length: length, tape: tape, outputGradient: output,
                                    finalStateGradient: nil, inputGradient: dx, initialStateGradient: nil,
                                    parameterGradient: gradient.baseAddress!)
                }
            }
        }
        sgd.step(parameters: storage, gradients: UnsafeBufferPointer(gradient))
    }
}
