import CellForge
import Testing

/// Bad shapes are rejected with `CellForgeError` before anything is computed.
@Suite struct ShapeContractTests {
    let lstm = try! ReferenceLSTM<Double>(parameters: .random(kind: .lstm, hiddenSize: 3, inputSize: 2, seed: 1))
    let rnn = try! ReferenceRNN<Double>(parameters: .random(kind: .rnn, hiddenSize: 3, inputSize: 2, seed: 1))

    @Test func zeroOrHugeSizesAreRejected() {
        #expect(throws: CellForgeError.invalidSize(name: "hidden size", value: 0, allowed: "between 1 and 4096")) {
            try CellParameters<Float>(kind: .lstm, hiddenSize: 0, inputSize: 2)
        }
        #expect(throws: CellForgeError.invalidSize(name: "input size", value: 0, allowed: "between 1 and 4096")) {
            try CellParameters<Float>(kind: .rnn, hiddenSize: 2, inputSize: 0)
        }
        #expect(throws: CellForgeError.self) { try CellParameters<Float>(kind: .lstm, hiddenSize: 5000, inputSize: 2) }
        #expect(throws: CellForgeError.self) { try CellParameters<Float>(kind: .lstm, hiddenSize: -1, inputSize: 2) }
    }

    @Test func tensorsOfWrongLengthAreNamed() {
        #expect(throws: CellForgeError.shapeMismatch(name: "U", expected: "4 values [4 × 1]", actual: "3")) {
            try CellParameters<Double>(kind: .lstm, hiddenSize: 1, inputSize: 2,
                                       W: Array(repeating: 0, count: 8), U: [0, 0, 0], b: [0, 0, 0, 0])
        }
        #expect(throws: CellForgeError.self) {
            try CellParameters<Double>(kind: .rnn, hiddenSize: 1, inputSize: 1, values: [1, 2])
        }
        #expect(throws: CellForgeError.cellMismatch(expected: .lstm, actual: .rnn)) {
            try ReferenceLSTM(parameters: rnn.parameters)
        }
    }

    @Test func forwardRejectsBadSequences() {
        #expect(throws: CellForgeError.emptySequence) { try lstm.forward([]) }
        #expect(throws: CellForgeError.shapeMismatch(name: "input x_2", expected: "2 values", actual: "3")) {
            try lstm.forward([[1, 2], [1, 2, 3]])
        }
        #expect(throws: CellForgeError.shapeMismatch(name: "initial hidden state h_0", expected: "3 values", actual: "2")) {
            try lstm.forward([[1, 2]], initialHidden: [0, 0], initialCell: nil)
        }
        #expect(throws: CellForgeError.self) { try lstm.forward([[1, 2]], initialHidden: nil, initialCell: [1]) }
        #expect(throws: CellForgeError.self) { try rnn.forward([[1, 2]], initialHidden: nil, initialCell: [0, 0, 0]) }
    }

    @Test func backwardRejectsBadGradients() throws {
        let trace = try lstm.forward([[1, 2], [3, 4]])
        #expect(throws: CellForgeError.shapeMismatch(name: "output gradients", expected: "2 steps", actual: "1")) {
            try lstm.backward(trace, outputGradients: [[0, 0, 0]])
        }
        #expect(throws: CellForgeError.self) { try lstm.backward(trace, outputGradients: [[0, 0, 0], [0, 0]]) }
        #expect(throws: CellForgeError.self) {
            try lstm.backward(trace, outputGradients: [[0, 0, 0], [0, 0, 0]], finalHiddenGradient: nil, finalCellGradient: [1])
        }
        #expect(throws: CellForgeError.cellMismatch(expected: .rnn, actual: .lstm)) {
            try rnn.backward(trace, outputGradients: [[0, 0, 0], [0, 0, 0]])
        }
    }

    @Test func lossAndOptimizerRejectMismatches() throws {
        #expect(throws: CellForgeError.self) { try L2Loss.value(outputs: [[1.0]], targets: [[1.0], [2.0]]) }
        #expect(throws: CellForgeError.self) { try L2Loss.gradient(outputs: [[1.0]], targets: [[1.0, 2.0]]) }
        var p = lstm.parameters
        var sgd = try SGD<Double>(learningRate: 0.1)
        #expect(throws: CellForgeError.cellMismatch(expected: .lstm, actual: .rnn)) { try sgd.step(&p, gradient: rnn.parameters) }
        #expect(p == lstm.parameters, "a refused step changes nothing")
    }

    @Test func errorsReadAsOneLine() {
        let e = CellForgeError.shapeMismatch(name: "U", expected: "4 values", actual: "3")
        #expect(e.description == "shape mismatch for U: expected 4 values, got 3")
        #expect(!CellForgeError.emptySequence.description.contains("\n"))
    }
}
