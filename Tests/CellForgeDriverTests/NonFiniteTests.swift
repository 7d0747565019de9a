import CellForge
import CellForgeKernels
import Testing

/// NaN or infinity never reaches the weights: the step is refused, reported, and
/// both the parameters and the optimizer state stay exactly as they were.
@Suite struct NonFiniteTests {
    let kernel = LSTM_H8_D8_Float()

    @Test(arguments: [1, 2])
    func nanInputIsRefused(workers: Int) throws {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [5, 8, 3, 6], seed: 9, as: Float.self)
        let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: workers, sequencesPerChunk: 1)
        var adam = try Adam<Float>(learningRate: 0.01)
        #expect(try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam).applied)
        let (bits, state) = (DriverTestSupport.storageBits(driver), adam.state)

        var inputs = c.batch.inputs
        inputs[(c.batch.stepOffsets[2] + 1) * 8 + 3] = .nan
        let poisoned = try SequenceBatch(inputs: inputs, lengths: c.batch.lengths, inputSize: 8)
        let r = try driver.train(poisoned, supervision: .l2(targets: c.targets), optimizer: &adam)
        #expect(!r.applied && r.refusal == .nonFiniteLoss)
        #expect(r.loss!.isNaN)
        #expect(DriverTestSupport.storageBits(driver) == bits, "parameters unchanged")
        #expect(adam.state == state, "optimizer state unchanged")

        #expect(try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam).applied, "training goes on")
        #expect(adam.state.stepCount == 2)
    }

    @Test func infiniteUpstreamGradientIsRefused() throws {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [4, 4], seed: 10, as: Float.self)
        let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 2)
        var momentum = try MomentumSGD<Float>(learningRate: 0.1)
        var delta = [Float](repeating: 0.1, count: c.targets.count)
        delta[13] = .infinity
        let bits = DriverTestSupport.storageBits(driver)
        let r = try driver.train(c.batch, supervision: .outputGradients(delta), optimizer: &momentum)
        #expect(r.refusal == .nonFiniteGradient && r.loss == nil && !r.gradientNorm.isFinite)
        #expect(DriverTestSupport.storageBits(driver) == bits)
        #expect(momentum.velocity.isEmpty)
        #expect(r.description.hasPrefix("refused: non-finite gradient"))
    }

    @Test func infiniteTargetIsRefused() throws {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [3], seed: 11, as: Float.self)
        let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 1)
        var sgd = try SGD<Float>(learningRate: 0.1)
        var targets = c.targets
        targets[0] = -.infinity
        let bits = DriverTestSupport.storageBits(driver)
        let r = try driver.train(c.batch, supervision: .l2(targets: targets), optimizer: &sgd)
        #expect(r.refusal == .nonFiniteLoss)
        #expect(DriverTestSupport.storageBits(driver) == bits)
    }
}
