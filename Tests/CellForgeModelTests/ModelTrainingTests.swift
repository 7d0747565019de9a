import CellForge
import CellForgeKernels
import Testing

/// Training steps of the model driver: determinism across worker counts, refusal of non-finite
/// steps, clipping over every parameter, and resuming from an in-memory checkpoint.
@Suite struct ModelTrainingTests {
    static let architecture = try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)
    static let lengths = [9, 9, 9, 4, 0, 9, 12, 12, 3, 9, 9]


    func flatBits(_ d: ModelDriver<Float>) -> [UInt32] { d.withParameterStorage { $0.map(\.bitPattern) } }

    /// Three Adam steps with clipping, outputs and final states: bit-identical for 1, 2 and 3 workers.
    @Test func bitIdenticalForAnyWorkerCount() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: Self.lengths, seed: 3, as: Float.self)
        var results: [[UInt32]] = []
        for workers in [1, 2, 3] {
            let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: workers,
                                         sequencesPerChunk: 2)
            var adam = try Adam<Float>(learningRate: 0.01)
            var outputs = [Float](repeating: 0, count: c.batch.totalSteps)
            var record: [UInt32] = []
            for _ in 0..<3 {
                let r = try outputs.withUnsafeMutableBufferPointer { o in
                    try driver.train(c.batch, initialStates: c.states, supervision: .meanSquaredError(targets: c.targets),
                                     optimizer: &adam, clipping: try GradientClipping(maxNorm: 0.05),
                                     buffers: ModelStepBuffers(outputs: o))
                }
                #expect(r.applied)
                record += [Float(r.loss!).bitPattern, Float(r.gradientNorm).bitPattern] + outputs.map(\.bitPattern)
            }
            results.append(record + flatBits(driver))
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
    }

    /// Clipping covers the head too: after a clipped step the whole gradient's norm is maxNorm.
    @Test func clippingCoversEveryParameter() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: Self.lengths, seed: 4, as: Double.self)
        let driver = try ModelDriver(parameters: c.parameters, layers: Self.architecture.referenceLayers(Double.self), workerCount: 1)
        var sgd = try SGD<Double>(learningRate: 0.1)
        let r = try driver.train(c.batch, initialStates: c.states, supervision: .l2(targets: c.targets), optimizer: &sgd,
                                 clipping: try GradientClipping(maxNorm: 1e-3))
        #expect(r.clipped)
        let g = ModelTestSupport.flat(driver.lastGradient)
        let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1e-3) <= 1e-15)
        #expect(driver.lastGradient.layers.last!.values.contains { $0 != 0 })
    }

    /// A NaN target is refused: parameters and Adam's state stay exactly as they were.
    @Test func nonFiniteStepIsRefused() throws {
        var c = try ModelTestSupport.randomCase(Self.architecture, lengths: Self.lengths, seed: 5, as: Float.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2)
        var adam = try Adam<Float>(learningRate: 0.01)
        _ = try driver.train(c.batch, initialStates: c.states, supervision: .meanSquaredError(targets: c.targets), optimizer: &adam)
        let (before, state) = (flatBits(driver), adam.state)
        c.targets[7] = .nan
        let r = try driver.train(c.batch, initialStates: c.states, supervision: .meanSquaredError(targets: c.targets), optimizer: &adam)
        #expect(r.refusal == .nonFiniteLoss)
        #expect(flatBits(driver) == before)
        #expect(adam.state == state)
    }

    /// Two steps, a checkpoint, two more; restoring the checkpoint into a fresh driver and optimizer
    /// and taking the same two steps gives the same parameters bit for bit (momentum and Adam).
    @Test func resumeFromCheckpointIsBitExact() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: Self.lengths, seed: 6, as: Float.self)
        func steps<O: ModelCheckpointableOptimizer>(_ driver: ModelDriver<Float>, _ o: inout O, _ n: Int) throws where O.Scalar == Float {
            for _ in 0..<n {
                _ = try driver.train(c.batch, initialStates: c.states, supervision: .meanSquaredError(targets: c.targets), optimizer: &o)
            }
        }
        func check<O: ModelCheckpointableOptimizer>(_ make: () throws -> O) throws where O.Scalar == Float {
            let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 1)
            var o = try make()
            try steps(driver, &o, 2)
            let checkpoint = try ModelCheckpoint(driver: driver, optimizer: o)
            try steps(driver, &o, 2)
            let resumed = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2)
            var r = try make()
            try checkpoint.restore(into: resumed, optimizer: &r)
            try steps(resumed, &r, 2)
            #expect(flatBits(resumed) == flatBits(driver))
            #expect(try r.modelState(resumed.model) == o.modelState(driver.model))
        }
        try check { try MomentumSGD<Float>(learningRate: 0.05, momentum: 0.9) }
        try check { try Adam<Float>(learningRate: 0.01) }
    }

    /// A checkpoint for another architecture, or another optimizer's state, changes nothing.
    @Test func badCheckpointChangesNothing() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: Self.lengths, seed: 7, as: Float.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 1)
        var adam = try Adam<Float>(learningRate: 0.01)
        _ = try driver.train(c.batch, initialStates: c.states, supervision: .meanSquaredError(targets: c.targets), optimizer: &adam)
        let (before, state) = (flatBits(driver), adam.state)
        let other = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8], outputSize: 1)
        let wrong = try ModelCheckpoint(parameters: ModelParameters<Float>.random(other, seed: 1))
        #expect(throws: CellForgeError.self) { try wrong.restore(into: driver, optimizer: &adam) }
        let momentum = try ModelCheckpoint(driver: driver, optimizer: try MomentumSGD<Float>(learningRate: 0.1))
        #expect(throws: CellForgeError.self) { try momentum.restore(into: driver, optimizer: &adam) }
        #expect(flatBits(driver) == before)
        #expect(adam.state == state)
    }

    /// A size without a generated kernel runs on the run-time kernel: the driver opens, trains,
    /// and the architecture names the layer and the manifest entry that would specialise it.
    @Test func missingKernelRunsOnTheRunTimeKernel() throws {
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 9], outputSize: 1)
        let c = try ModelTestSupport.randomCase(architecture, lengths: [6, 6], seed: 1, as: Float.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 1)
        var adam = try Adam<Float>(learningRate: 0.01)
        let r = try driver.train(c.batch, initialStates: c.states, supervision: .meanSquaredError(targets: c.targets), optimizer: &adam)
        #expect(r.loss.map { $0.isFinite } == true)
        let notes = architecture.runTimeLayerNotes(in: GeneratedKernels.self, scalar: .float)
        #expect(notes == ["layer 1 (LSTM H9 D8 Float) runs on the run-time kernel: to specialise it, add "
                          + "{\"cell\": \"lstm\", \"hidden\": 9, \"input\": 8, \"scalar\": \"float\"} to the kernels.json "
                          + "of the registry in use (GeneratedKernels) and regenerate that registry with codegen --manifest"])
    }
}
