import CellForge
import CellForgeKernels
import Testing

/// Every shape mismatch is reported as a `CellForgeError` naming what is wrong,
/// before anything is computed or changed.
@Suite struct ValidationTests {
    let kernel = LSTM_H8_D8_Float()

    @Test func batchShapes() throws {
        #expect(throws: CellForgeError.invalidSize(name: "batch size", value: 0, allowed: "at least 1")) {
            try SequenceBatch<Float>(inputs: [], lengths: [], inputSize: 2)
        }
        #expect(throws: CellForgeError.invalidSize(name: "length of sequence 1", value: -1, allowed: "at least 0")) {
            try SequenceBatch<Float>(inputs: [1, 2], lengths: [1, -1], inputSize: 2)
        }
        #expect(throws: CellForgeError.self) { try SequenceBatch<Float>(inputs: [1, 2, 3], lengths: [1], inputSize: 2) }
        #expect(throws: CellForgeError.self) { try SequenceBatch<Float>(inputs: [1, 2], lengths: [Int.max, Int.max], inputSize: 2) }
        #expect(throws: CellForgeError.self) { try SequenceBatch<Float>(sequences: [[1, 2, 3]], inputSize: 2) }
        let b = try SequenceBatch<Float>(sequences: [[1, 2, 3, 4], [], [5, 6]], inputSize: 2)
        #expect(b.lengths == [2, 0, 1] && b.stepOffsets == [0, 2, 2, 3] && b.totalSteps == 3 && b.maxLength == 2)
    }

    @Test func driverArguments() throws {
        let p = try CellParameters<Float>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 1)
        #expect(throws: CellForgeError.self) { try BatchDriver(kernel: kernel, parameters: p, workerCount: 0) }
        #expect(throws: CellForgeError.self) { try BatchDriver(kernel: kernel, parameters: p, sequencesPerChunk: 0) }
        let rnn = try CellParameters<Float>(kind: .rnn, hiddenSize: 8, inputSize: 8)
        let mismatch = #expect(throws: CellForgeError.self) { try BatchDriver(kernel: kernel, parameters: rnn) }
        #expect(mismatch.map { "\($0)".contains("layer 0 parameters") && "\($0)".contains("RNN") } == true, "\(String(describing: mismatch))")
        let driver = try BatchDriver(kernel: kernel, parameters: p, workerCount: 2)
        let small = try CellParameters<Float>(kind: .lstm, hiddenSize: 4, inputSize: 8)
        #expect(throws: CellForgeError.self) { try driver.setParameters(small) }

        let batch = try SequenceBatch<Float>(inputs: Array(repeating: 0.1, count: 5 * 8), lengths: [2, 3], inputSize: 8)
        let targets = [Float](repeating: 0, count: 5 * 8)
        var sgd = try SGD<Float>(learningRate: 0.1)
        let bits = DriverTestSupport.storageBits(driver)
        #expect(throws: CellForgeError.shapeMismatch(name: "targets", expected: "40 values (8 × 5 steps)", actual: "39")) {
            try driver.train(batch, supervision: .l2(targets: Array(targets.dropLast())), optimizer: &sgd)
        }
        #expect(throws: CellForgeError.self) {
            try driver.train(batch, supervision: .outputGradients([]), optimizer: &sgd)
        }
        #expect(throws: CellForgeError.shapeMismatch(name: "initial states", expected: "32 values (2 sequences × model state size 16)",
                                                     actual: "16")) {
            try driver.train(batch, initialStates: Array(repeating: 0, count: 16), supervision: .l2(targets: targets), optimizer: &sgd)
        }
        let narrow = try SequenceBatch<Float>(inputs: Array(repeating: 0.1, count: 5 * 4), lengths: [2, 3], inputSize: 4)
        #expect(throws: CellForgeError.self) { try driver.train(narrow, supervision: .l2(targets: targets), optimizer: &sgd) }
        var adam = try Adam<Float>(learningRate: 0.1)
        try adam.restore(.init(stepCount: 1, firstMoment: [0], secondMoment: [0]))
        #expect(throws: CellForgeError.self) { try driver.train(batch, supervision: .l2(targets: targets), optimizer: &adam) }
        var states = [Float](repeating: 0, count: 31)
        #expect(throws: CellForgeError.self) { try driver.infer(batch, states: &states) }
        var dx = [Float](repeating: 0, count: 39)
        #expect(throws: CellForgeError.shapeMismatch(name: "input gradients", expected: "40 values (8 × 5 steps)", actual: "39")) {
            try dx.withUnsafeMutableBufferPointer { try driver.train(batch, supervision: .l2(targets: targets), optimizer: &sgd, buffers: ModelStepBuffers(inputGradients: $0)) }
        }
        #expect(DriverTestSupport.storageBits(driver) == bits, "nothing changed")
    }
}
