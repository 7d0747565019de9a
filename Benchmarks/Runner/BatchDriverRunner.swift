import CellForge

/// The workload through `BatchDriver`: chunks of sequences on `workers` threads, each
/// chunk handed to the kernel in interleaved pieces. Training computes δx too (the
/// driver's optional input gradients), so it does the work the flop model counts.
struct BatchDriverRunner: BatchRunner {
    let workers: Int
    var name: String { "batchdriver" }

    func forward<K: RecurrentKernel>(_ b: Batch<K>) {
        let d = b.driverInputs(workers: workers)
        d.states.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        try! d.driver.infer(d.batch, states: &d.states, outputs: &d.outputs)
        sink += Double(d.outputs[0])
    }

    func train<K: RecurrentKernel>(_ b: Batch<K>) {
        let d = b.driverInputs(workers: workers)
        let result = try! d.driver.train(d.batch, supervision: d.supervision, optimizer: &b.sgd,
                                         buffers: ModelStepBuffers(inputGradients: b.inputGradient))
        precondition(result.applied, "benchmark training step refused: \(String(describing: result.refusal))")
    }
}

/// What `BatchDriverRunner` needs for one batch and worker count, made once (outside the timings).
final class DriverInputs<K: RecurrentKernel> {
    let driver: BatchDriver<K>
    let batch: SequenceBatch<K.Scalar>
    let supervision: ModelSupervision<K.Scalar>
    var states: [K.Scalar]
    var outputs: [K.Scalar]

    init(_ b: Batch<K>, workers: Int) {
        let (N, T, D) = (b.sequences, b.length, b.kernel.inputSize)
        driver = try! BatchDriver(kernel: b.kernel, parameters: b.kernel.unpack(UnsafeBufferPointer(b.parameters)),
                                  workerCount: workers)
        batch = try! SequenceBatch(inputs: Array(b.input), lengths: Array(repeating: T, count: N), inputSize: D)
        supervision = .outputGradients(Array(b.outputGradient))
        states = Array(repeating: 0, count: N * b.kernel.stateSize)
        outputs = Array(repeating: 0, count: N * T * b.kernel.hiddenSize)
    }
}

extension Batch {
    /// The driver inputs for `workers` threads, made on first use and kept.
    func driverInputs(workers: Int) -> DriverInputs<K> {
        if let d = drivers[workers] { return d }
        let d = DriverInputs(self, workers: workers)
        drivers[workers] = d
        return d
    }
}
