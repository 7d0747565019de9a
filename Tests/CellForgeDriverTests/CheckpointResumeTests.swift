import CellForge
import CellForgeKernels
import Foundation
import Testing

/// Resuming from a checkpoint file equals never stopping, bit for bit (parameters and
/// optimizer state), and a checkpoint that does not fit changes neither driver nor optimizer.
@Suite struct CheckpointResumeTests {
    static let lengths = [9, 3, 0, 14, 6, 1, 11, 8, 5, 12]

    /// Six steps in one go against three, a save to a file, a new driver and optimizer loaded
    /// from it, and three more; two batches alternate so each step sees different data.
    func resume<K: RecurrentKernel, O: ModelCheckpointableOptimizer>(_ kernel: K, _ makeOptimizer: () throws -> O,
                                                                clipping: GradientClipping?,
                                                                stateBits: (O) -> [UInt64]) throws where O.Scalar == K.Scalar {
        let (kind, H, D) = (kernel.kind, kernel.hiddenSize, kernel.inputSize)
        let cases = try [5, 6].map {
            try DriverTestSupport.randomCase(kind, hidden: H, input: D, lengths: Self.lengths, seed: $0, as: K.Scalar.self)
        }
        func train(_ driver: BatchDriver<K>, _ optimizer: inout O, steps: Range<Int>) throws {
            for s in steps {
                let c = cases[s % 2]
                let r = try driver.train(c.batch, initialStates: c.initialStates, supervision: .l2(targets: c.targets),
                                         optimizer: &optimizer, clipping: clipping)
                #expect(r.applied && r.clipped == (clipping != nil), "step \(s)")
            }
        }
        let straight = try BatchDriver(kernel: kernel, parameters: cases[0].parameters, workerCount: 2, sequencesPerChunk: 3)
        var straightOptimizer = try makeOptimizer()
        try train(straight, &straightOptimizer, steps: 0..<6)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run.safetensors")
        do {
            let first = try BatchDriver(kernel: kernel, parameters: cases[0].parameters, workerCount: 2, sequencesPerChunk: 3)
            var optimizer = try makeOptimizer()
            try train(first, &optimizer, steps: 0..<3)
            try ModelCheckpoint(driver: first.engine, optimizer: optimizer, metadata: ["step": "3"]).save(to: url)
        }
        let checkpoint = try ModelCheckpoint.load(from: url, as: K.Scalar.self)
        #expect(checkpoint.metadata == ["step": "3"])
        let other = try CellParameters<K.Scalar>.random(kind: kind, hiddenSize: H, inputSize: D, seed: 99)
        let resumed = try BatchDriver(kernel: kernel, parameters: other, workerCount: 2, sequencesPerChunk: 3)
        var resumedOptimizer = try makeOptimizer()
        try checkpoint.restore(into: resumed.engine, optimizer: &resumedOptimizer)
        try train(resumed, &resumedOptimizer, steps: 3..<6)

        let label = "\(kind) H\(H) D\(D) \(O.self)"
        Self.expectSameBits(DriverTestSupport.storageBits(resumed), DriverTestSupport.storageBits(straight), "\(label): parameters")
        Self.expectSameBits(stateBits(resumedOptimizer), stateBits(straightOptimizer), "\(label): optimizer state")
        #expect(try ModelCheckpoint(driver: resumed.engine, optimizer: resumedOptimizer)
                == ModelCheckpoint(driver: straight.engine, optimizer: straightOptimizer))
    }

    /// Expects equal bit patterns, reporting how many differ rather than both arrays.
    static func expectSameBits(_ a: [UInt64], _ b: [UInt64], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let differing = zip(a, b).filter { $0 != $1 }.count
        #expect(a.count == b.count && differing == 0, "\(what): \(differing) of \(b.count) values differ", sourceLocation: sourceLocation)
    }

    static func adamBits<S: CellScalar>(_ adam: Adam<S>) -> [UInt64] {
        [UInt64(adam.state.stepCount)] + DriverTestSupport.bits(adam.state.firstMoment) + DriverTestSupport.bits(adam.state.secondMoment)
    }

    @Test func adamWithClippingResumesBitForBit() throws {
        try resume(LSTM_H8_D8_Float(), { try Adam<Float>(learningRate: 0.01) }, clipping: try GradientClipping(maxNorm: 1),
                   stateBits: Self.adamBits)
        try resume(GRU_H5_D3_Float(), { try Adam<Float>(learningRate: 0.01) }, clipping: try GradientClipping(maxNorm: 1),
                   stateBits: Self.adamBits)
        try resume(LSTM_H8_D8_Double(), { try Adam<Double>(learningRate: 0.01) }, clipping: try GradientClipping(maxNorm: 1),
                   stateBits: Self.adamBits)
    }

    @Test func momentumAndPlainSGDResumeBitForBit() throws {
        try resume(LSTM_H8_D8_Float(), { try MomentumSGD<Float>(learningRate: 0.01) }, clipping: nil,
                   stateBits: { DriverTestSupport.bits($0.velocity) })
        try resume(LSTM_H8_D8_Float(), { try SGD<Float>(learningRate: 0.01) }, clipping: nil, stateBits: { _ in [] })
    }

    /// A checkpoint taken before the first step restores an optimizer that has not stepped.
    @Test func checkpointBeforeTheFirstStep() throws {
        let kernel = GRU_H5_D3_Float()
        let p = try CellParameters<Float>.random(kind: .gru, hiddenSize: 5, inputSize: 3, seed: 4)
        let driver = try BatchDriver(kernel: kernel, parameters: p, workerCount: 1)
        let checkpoint = try ModelCheckpoint(driver: driver.engine, optimizer: try Adam<Float>(learningRate: 0.01))
        let zero = ModelParameters<Float>(zerosFor: driver.engine.architecture)
        #expect(checkpoint.optimizer == .adam(stepCount: 0, firstMoment: zero, secondMoment: zero))
        var adam = try Adam<Float>(learningRate: 0.01)
        try checkpoint.restore(into: driver.engine, optimizer: &adam)
        #expect(adam.state == Adam<Float>.State(stepCount: 0, firstMoment: [], secondMoment: []))
    }

    @Test func aCheckpointThatDoesNotFitChangesNothing() throws {
        let kernel = LSTM_H8_D8_Float()
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [4, 6, 2], seed: 12, as: Float.self)
        let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 1)
        var adam = try Adam<Float>(learningRate: 0.01)
        for _ in 0..<2 { _ = try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam) }
        let (bits, state) = (DriverTestSupport.storageBits(driver), adam.state)
        let lstm = try DriverTestSupport.model(CellParameters<Float>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 3))

        func expectRefused(_ checkpoint: ModelCheckpoint<Float>, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                try checkpoint.restore(into: driver.engine, optimizer: &adam)
                Issue.record("restored a checkpoint that does not fit", sourceLocation: sourceLocation)
            } catch {
                for f in fragments {
                    #expect("\(error)".contains(f), "\"\(error)\" should mention \(f)", sourceLocation: sourceLocation)
                }
            }
            #expect(DriverTestSupport.storageBits(driver) == bits, "parameters unchanged", sourceLocation: sourceLocation)
            #expect(adam.state == state, "optimizer state unchanged", sourceLocation: sourceLocation)
        }
        let gru = try DriverTestSupport.model(CellParameters<Float>.random(kind: .gru, hiddenSize: 8, inputSize: 8, seed: 3))
        expectRefused(try ModelCheckpoint(parameters: gru), ["checkpoint architecture", "expected LSTM H8 D8 (the driver's)", "got GRU H8 D8"])
        let small = try DriverTestSupport.model(CellParameters<Float>.random(kind: .lstm, hiddenSize: 4, inputSize: 8, seed: 3))
        expectRefused(try ModelCheckpoint(parameters: small), ["got LSTM H4 D8"])
        expectRefused(try ModelCheckpoint(parameters: lstm), ["optimizer state is none, but Adam needs adam"])
        expectRefused(try ModelCheckpoint(parameters: lstm, optimizer: .momentum(velocity: lstm)), ["is momentum, but Adam needs adam"])
        var sgd = try SGD<Float>(learningRate: 0.1)
        #expect(throws: CellForgeError.self) {
            try ModelCheckpoint(parameters: lstm, optimizer: .momentum(velocity: lstm)).restore(into: driver.engine, optimizer: &sgd)
        }
        #expect(DriverTestSupport.storageBits(driver) == bits)

        // A file that fails validation gives no checkpoint to restore: nothing changes either.
        var file = try ModelCheckpoint(driver: driver.engine, optimizer: adam).safeTensors()
        file.metadata["cellforge.adam.step_count"] = "-1"
        #expect(throws: CellForgeError.invalidSize(name: "model checkpoint Adam step count", value: -1,
                                                   allowed: "between 0 and \(Int.max - 1)")) {
            try ModelCheckpoint<Float>(file).restore(into: driver.engine, optimizer: &adam)
        }
        #expect(DriverTestSupport.storageBits(driver) == bits && adam.state == state)

        // Optimizer state sized for another kernel cannot be checkpointed with this driver.
        var foreign = try Adam<Float>(learningRate: 0.01)
        try foreign.restore(.init(stepCount: 1, firstMoment: [0.5], secondMoment: [0.25]))
        #expect(throws: CellForgeError.self) { try ModelCheckpoint(driver: driver.engine, optimizer: foreign) }
    }
}
