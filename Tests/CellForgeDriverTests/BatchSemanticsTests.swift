import CellForge
import CellForgeKernels
import Testing

/// What a batch means: loss and gradient are sums over sequences (not averages),
/// length-0 sequences contribute nothing, upstream gradients and targets agree,
/// and buffers reused across batch shapes give what fresh ones give.
@Suite struct BatchSemanticsTests {
    let kernel = LSTM_H8_D8_Float()

    /// Loss and gradient of a batch are the sums over its sequences; a doubled batch doubles both.
    @Test func lossAndGradientAreSummedNotAveraged() throws {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [4, 7, 2], seed: 3, as: Float.self)
        let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 2, sequencesPerChunk: 1)
        let (loss, gradient) = try driver.gradient(c.batch, initialStates: c.initialStates, supervision: .l2(targets: c.targets))
        var lossSum = 0.0
        var gradientSum = [Double](repeating: 0, count: gradient.values.count)
        for n in 0..<3 {
            let (lo, hi) = (c.batch.stepOffsets[n], c.batch.stepOffsets[n + 1])
            let one = try SequenceBatch(inputs: Array(c.batch.inputs[(lo * 8)..<(hi * 8)]), lengths: [hi - lo], inputSize: 8)
            let (l, g) = try driver.gradient(one, initialStates: Array(c.initialStates[(n * 16)..<((n + 1) * 16)]),
                                             supervision: .l2(targets: Array(c.targets[(lo * 8)..<(hi * 8)])))
            lossSum += l!
            for k in gradientSum.indices { gradientSum[k] += Double(g.values[k]) }
        }
        #expect(abs(loss! - lossSum) <= 1e-12 * lossSum)
        #expect(DriverTestSupport.relativeError(gradient.values, gradientSum) <= 1e-6)

        // With a chunk per copy, the doubled batch sums X + X, which is exactly 2X.
        let byThree = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 2, sequencesPerChunk: 3)
        let single = try byThree.gradient(c.batch, initialStates: c.initialStates, supervision: .l2(targets: c.targets))
        let doubled = try SequenceBatch(inputs: c.batch.inputs + c.batch.inputs, lengths: c.batch.lengths + c.batch.lengths,
                                        inputSize: 8)
        let twice = try byThree.gradient(doubled, initialStates: c.initialStates + c.initialStates,
                                         supervision: .l2(targets: c.targets + c.targets))
        #expect(twice.loss! == 2 * single.loss!)
        #expect(twice.gradient.values == single.gradient.values.map { 2 * $0 }, "summed, not averaged")
    }

    /// Length-0 sequences add nothing, wherever they sit; a batch of only those has zero loss and gradient.
    @Test func lengthZeroSequencesContributeNothing() throws {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [5, 3], seed: 4, as: Float.self)
        let padded = try SequenceBatch(inputs: c.batch.inputs, lengths: [0, 5, 0, 0, 3, 0], inputSize: 8)
        let s = c.initialStates
        let paddedStates = Array(repeating: 9, count: 16) + s[0..<16] + Array(repeating: 9, count: 32) + s[16...]
            + Array(repeating: 9, count: 16)
        let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 2, sequencesPerChunk: 1)
        let (loss, gradient) = try driver.gradient(c.batch, initialStates: s, supervision: .l2(targets: c.targets))
        let (loss0, gradient0) = try driver.gradient(padded, initialStates: paddedStates, supervision: .l2(targets: c.targets))
        #expect(loss0 == loss)
        #expect(gradient0.values == gradient.values, "zero chunks add exact zeros")

        var states = paddedStates
        let outputs = try driver.infer(padded, states: &states)
        #expect(outputs.count == 8 * 8)
        #expect(states[0..<16].allSatisfy { $0 == 9 } && states[32..<64].allSatisfy { $0 == 9 }, "length 0 keeps its state")

        let empty = try SequenceBatch<Float>(inputs: [], lengths: [0, 0, 0], inputSize: 8)
        var sgd = try SGD<Float>(learningRate: 0.1)
        let before = DriverTestSupport.storageBits(driver)
        let r = try driver.train(empty, supervision: .l2(targets: []), optimizer: &sgd)
        #expect(r.refusal == .noSteps && r.loss == 0 && r.gradientNorm == 0, "no steps, no optimizer step")
        #expect(DriverTestSupport.storageBits(driver) == before)
    }

    /// Training on Δ = h − y as upstream gradients is training on targets y, bit for bit.
    @Test func upstreamGradientsMatchTargets() throws {
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [6, 0, 9, 2, 4], seed: 5, as: Float.self)
        let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: 2, sequencesPerChunk: 2)
        var states = c.initialStates
        let h = try driver.infer(c.batch, states: &states)
        let delta = zip(h, c.targets).map { $0 - $1 }
        let (loss, byTargets) = try driver.gradient(c.batch, initialStates: c.initialStates, supervision: .l2(targets: c.targets))
        let (none, byDelta) = try driver.gradient(c.batch, initialStates: c.initialStates, supervision: .outputGradients(delta))
        #expect(none == nil && loss != nil)
        #expect(byDelta.values == byTargets.values)
    }

    /// Buffers grown for a long batch and reused for a short one give what a fresh driver gives.
    @Test func reusedBuffersMatchFreshOnes() throws {
        let short = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: [3, 2, 4], seed: 6, as: Float.self)
        let long = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: Array(repeating: 20, count: 30),
                                                    seed: 7, as: Float.self)
        let reused = try BatchDriver(kernel: kernel, parameters: short.parameters, workerCount: 2)
        let fresh = try BatchDriver(kernel: kernel, parameters: short.parameters, workerCount: 2)
        _ = try reused.gradient(short.batch, supervision: .l2(targets: short.targets))
        _ = try reused.gradient(long.batch, supervision: .l2(targets: long.targets))
        let a = try reused.gradient(short.batch, initialStates: short.initialStates, supervision: .l2(targets: short.targets))
        let b = try fresh.gradient(short.batch, initialStates: short.initialStates, supervision: .l2(targets: short.targets))
        #expect(a.loss == b.loss && a.gradient.values == b.gradient.values)
    }

    /// The padding lanes of a padded layout (H 3 → 4 lanes) stay exactly zero through Adam steps.
    @Test func paddingLanesStayZero() throws {
        let k = LSTM_H3_D5_Float()
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 3, input: 5, lengths: [4, 6, 1], seed: 8, as: Float.self)
        let driver = try BatchDriver(kernel: k, parameters: c.parameters, workerCount: 2)
        var adam = try Adam<Float>(learningRate: 0.05)
        for _ in 0..<3 { _ = try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam) }
        var repacked = [Float](repeating: 1, count: k.parameterStorageCount)
        repacked.withUnsafeMutableBufferPointer { k.pack(driver.parameters, into: $0) }
        #expect(driver.withParameterStorage { Array($0) } == repacked)
        #expect(driver.parameters != c.parameters)
    }
}
