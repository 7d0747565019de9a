@testable import CellForge
import CellForgeKernels
import Foundation
import Testing

/// Issue 14: steps that cannot be applied exactly are refused with their own reason, and
/// driver memory follows the work, not `workerCount`.
@Suite struct ReliabilityTests {
    let kernel = LSTM_H8_D8_Float()

    func driver(workers: Int = 1) throws -> (BatchDriver<LSTM_H8_D8_Float>, DriverTestSupport.Case<Float>) {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [12], seed: 14, as: Float.self)
        return (try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: workers), c)
    }

    /// Finding 1: upstream gradients of 3e19 (the reproduction) leave Adam finite and
    /// checkpointable, and every parameter with a gradient moves on the next step; at 1e30 the
    /// step is refused with `optimizerOverflow`, everything bit for bit unchanged.
    @Test func adamStateStaysFiniteUnderHugeGradients() throws {
        let (driver, c) = try driver()
        var adam = try Adam<Float>(learningRate: 0.01)
        let r = try driver.train(c.batch, supervision: .outputGradients(Array(repeating: 3e19, count: 96)), optimizer: &adam)
        #expect(r.applied, "\(r)")
        #expect(adam.state.secondMoment.allSatisfy(\.isFinite) && adam.state.firstMoment.allSatisfy(\.isFinite))
        _ = try ModelCheckpoint(driver: driver.engine, optimizer: adam)     // threw "non-finite value … adam.v.W" before

        let before = DriverTestSupport.storageBits(driver)
        let normal = try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam)
        #expect(normal.applied)
        let moved = zip(before, DriverTestSupport.storageBits(driver)).filter { $0 != $1 }.count
        let nonzero = adam.state.firstMoment.filter { $0 != 0 }.count
        #expect(moved == nonzero, "every parameter with a moment moves: \(moved) of \(nonzero)")

        let (bits, state) = (DriverTestSupport.storageBits(driver), adam.state)
        let huge = try driver.train(c.batch, supervision: .outputGradients(Array(repeating: 1e30, count: 96)), optimizer: &adam)
        #expect(huge.refusal == .optimizerOverflow, "\(huge)")
        #expect(DriverTestSupport.storageBits(driver) == bits && adam.state == state)
    }

    /// Finding 1: a Float target of 3e38 gives a loss of 4.5e76, finite only in Double: refused.
    @Test func lossBeyondTheScalarTypeIsRefused() throws {
        let (driver, c) = try driver()
        var sgd = try SGD<Float>(learningRate: 1e-30)
        var targets = c.targets
        targets[5] = 3e38
        let bits = DriverTestSupport.storageBits(driver)
        let r = try driver.train(c.batch, supervision: .l2(targets: targets), optimizer: &sgd)
        #expect(r.refusal == .lossOverflow && r.loss! > 1e76, "\(r)")
        #expect(DriverTestSupport.storageBits(driver) == bits)
    }

    /// Finding 9: a batch with no steps is not an optimizer step.
    @Test func batchOfEmptySequencesIsNotAStep() throws {
        let (driver, c) = try driver()
        var adam = try Adam<Float>(learningRate: 0.01)
        #expect(try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam).applied)
        let empty = try SequenceBatch<Float>(inputs: [], lengths: [0, 0, 0], inputSize: 8)
        let r = try driver.train(empty, supervision: .l2(targets: []), optimizer: &adam)
        #expect(r.refusal == .noSteps && adam.state.stepCount == 1, "\(r)")
    }

    /// Finding 9: a refused step prints a non-finite norm as "not finite", not "-nan".
    @Test func refusedStepPrintsNormInWords() throws {
        let (driver, c) = try driver()
        var sgd = try SGD<Float>(learningRate: 0.01)
        var gradients = c.targets
        gradients[3] = -.nan
        let r = try driver.train(c.batch, supervision: .outputGradients(gradients), optimizer: &sgd)
        #expect(r.refusal == .nonFiniteGradient)
        #expect(r.description.contains("gradient norm not finite") && !r.description.contains("nan"), "\(r)")
    }

    /// Finding 4: per-worker buffers are sized for the workers a call uses, min(workerCount, chunks).
    @Test func workspaceFollowsTheWorkersUsed() throws {
        let (driver, c) = try driver(workers: 4096)
        var sgd = try SGD<Float>(learningRate: 0.01)
        _ = try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &sgd)
        #expect(driver.engine.workspace.workerCapacity == 1, "one chunk, one worker's buffers")
        var states = [Float](repeating: 0, count: 16)
        _ = try driver.infer(c.batch, states: &states)
        #expect(driver.engine.workspace.workerCapacity == 1)

        let many = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: Array(repeating: 2, count: 40),
                                                    seed: 3, as: Float.self)
        _ = try driver.train(many.batch, supervision: .l2(targets: many.targets), optimizer: &sgd)
        #expect(driver.engine.workspace.workerCapacity == 4, "40 sequences in chunks of 12: 4 chunks")
    }

    /// Finding 4: the worker count is validated, with a one-line error.
    @Test func workerCountIsCapped() throws {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [1], seed: 1, as: Float.self)
        #expect(throws: CellForgeError.invalidSize(name: "worker count", value: 200_000, allowed: "between 1 and 4096")) {
            try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 200_000)
        }
        _ = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 4096)
    }

    /// Finding 7: the error names the expected count from D and the lengths, not a bound.
    @Test func inputCountErrorNamesExpectedAndActual() {
        #expect(throws: CellForgeError.shapeMismatch(name: "inputs", expected: "8 values (D 8 × 1 steps)", actual: "3")) {
            try SequenceBatch<Float>(inputs: [1, 2, 3], lengths: [1], inputSize: 8)
        }
        #expect(throws: CellForgeError.shapeMismatch(name: "inputs", expected: "24 values (D 8 × 3 steps)", actual: "32")) {
            try SequenceBatch<Float>(inputs: Array(repeating: 0, count: 32), lengths: [1, 2], inputSize: 8)
        }
    }
}
