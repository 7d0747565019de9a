@testable import CellForge
import CellForgeKernels
import Testing

/// `ModelDriver` refuses the steps `BatchDriver` refuses (issue 14: `ReliabilityTests` of the
/// driver tests), validates its worker count the same way, and sizes its buffers by the
/// workers a call uses.
@Suite struct ModelReliabilityTests {
    static let architecture = try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)

    /// A loss whose gradient is `value` for every output (its loss is 1 per sequence), standing
    /// for a huge upstream gradient.
    struct ConstantGradient: ModelLoss {
        let value: Float
        func evaluate(sequence: Int, outputs: UnsafeBufferPointer<Float>, gradient: UnsafeMutableBufferPointer<Float>) -> Double {
            gradient.update(repeating: value)
            return 1
        }
    }

    func driver(workers: Int = 1, lengths: [Int] = [9, 4, 12]) throws
    -> (ModelDriver<Float>, (parameters: ModelParameters<Float>, batch: SequenceBatch<Float>, states: [Float], targets: [Float])) {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: lengths, seed: 14, as: Float.self)
        return (try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: workers), c)
    }

    func flatBits(_ d: ModelDriver<Float>) -> [UInt32] { d.withParameterStorage { $0.map(\.bitPattern) } }

    /// An upstream gradient of 1e30 makes Adam's v = g² overflow Float: the step is refused with
    /// `optimizerOverflow`, parameters and Adam's state bit for bit unchanged, and the optimizer
    /// stays usable.
    @Test func adamOverflowIsRefused() throws {
        let (driver, c) = try driver()
        var adam = try Adam<Float>(learningRate: 0.01)
        #expect(try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam).applied)
        let (bits, state) = (flatBits(driver), adam.state)
        let huge = try driver.train(c.batch, supervision: .loss(ConstantGradient(value: 1e30)), optimizer: &adam)
        #expect(huge.refusal == .optimizerOverflow, "\(huge)")
        #expect(flatBits(driver) == bits && adam.state == state)
        #expect(try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam).applied)
    }

    /// A Float target of 3e38 gives an L2 loss of about 4.5e76, finite only in Double: refused.
    @Test func lossBeyondTheScalarTypeIsRefused() throws {
        let (driver, c) = try driver()
        var sgd = try SGD<Float>(learningRate: 1e-30)
        var targets = c.targets
        targets[5] = 3e38
        let bits = flatBits(driver)
        let r = try driver.train(c.batch, supervision: .l2(targets: targets), optimizer: &sgd)
        #expect(r.refusal == .lossOverflow && r.loss! > 1e76, "\(r)")
        #expect(flatBits(driver) == bits)
    }

    /// A batch whose sequences all have length 0 is not an optimizer step: Adam's step count stays.
    @Test func batchOfEmptySequencesIsNotAStep() throws {
        let (driver, c) = try driver()
        var adam = try Adam<Float>(learningRate: 0.01)
        #expect(try driver.train(c.batch, supervision: .meanSquaredError(targets: c.targets), optimizer: &adam).applied)
        let (bits, state) = (flatBits(driver), adam.state)
        let empty = try SequenceBatch<Float>(inputs: [], lengths: [0, 0, 0], inputSize: 1)
        let r = try driver.train(empty, supervision: .meanSquaredError(targets: []), optimizer: &adam)
        #expect(r.refusal == .noSteps && adam.state.stepCount == 1, "\(r)")
        #expect(flatBits(driver) == bits && adam.state == state)
    }

    /// Per-worker buffers are sized for the workers a call uses, min(workerCount, chunks).
    @Test func workspaceFollowsTheWorkersUsed() throws {
        let (driver, c) = try driver(workers: 4096)
        var sgd = try SGD<Float>(learningRate: 0.01)
        _ = try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &sgd)
        #expect(driver.workspace.workerCapacity == 1, "one chunk, one worker's buffers")
        var states = [Float](repeating: 0, count: c.batch.count * driver.model.stateSize)
        _ = try driver.infer(c.batch, states: &states)
        #expect(driver.workspace.workerCapacity == 1)

        let many = try ModelTestSupport.randomCase(Self.architecture, lengths: Array(repeating: 2, count: 40), seed: 3, as: Float.self)
        _ = try driver.train(many.batch, supervision: .l2(targets: many.targets), optimizer: &sgd)
        #expect(driver.workspace.workerCapacity == 4, "40 sequences in chunks of 12: 4 chunks")
    }

    /// The worker count is validated like `BatchDriver`'s, with a one-line error.
    @Test func workerCountIsCapped() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: [1], seed: 1, as: Float.self)
        #expect(throws: CellForgeError.invalidSize(name: "worker count", value: 200_000, allowed: "between 1 and 4096")) {
            try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 200_000)
        }
        #expect(throws: CellForgeError.invalidSize(name: "worker count", value: 0, allowed: "between 1 and 4096")) {
            try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 0)
        }
        _ = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 4096)
    }
}
