import CellForge
import CellForgeKernels
import Testing

/// The "Using a generated kernel" example from README.md, line for line, so the
/// documented calls keep compiling and doing what the text says.
@Suite struct ReadmeExampleTests {
    @Test func usingAGeneratedKernel() throws {
        let kernel = LSTM_H8_D8_Float()
        let p = try CellParameters<Float>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 1)
        var w = [Float](repeating: 0, count: kernel.parameterStorageCount)
        w.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }       // canonical -> packed

        let T = 100
        let x = [Float](repeating: 0.1, count: T * 8)                      // x_1…x_T, step-major
        var state = [Float](repeating: 0, count: kernel.stateSize)          // [h, c] in, final state out
        var h = [Float](repeating: 0, count: T * 8)                         // h_1…h_T
        var tape = [Float](repeating: 0, count: kernel.tapeCount(length: T))
        kernel.forward(parameters: w, input: x, length: T, state: &state, output: &h, tape: &tape)

        let dh = h.map { $0 - 0.5 }                                         // ∂L/∂h_t, e.g. the L2 loss
        var g = [Float](repeating: 0, count: kernel.parameterStorageCount) // gradients are added here
        kernel.backward(parameters: w, input: x, length: T, tape: &tape, outputGradient: dh,
                        finalStateGradient: nil, inputGradient: nil, initialStateGradient: nil,
                        parameterGradient: &g)
        var sgd = SGD<Float>(learningRate: 0.01)
        w.withUnsafeMutableBufferPointer { pw in g.withUnsafeBufferPointer { _ = sgd.step(parameters: pw, gradients: $0) } }
        let trained = w.withUnsafeBufferPointer { kernel.unpack($0) }       // packed -> canonical

        // What the text claims: the step moved the parameters against the gradient.
        let loss = { (q: CellParameters<Float>) throws -> Float in
            let out = try ReferenceLSTM(parameters: q).forward((0..<T).map { _ in [Float](repeating: 0.1, count: 8) })
            return try L2Loss.value(outputs: out.hidden, targets: out.hidden.map { $0.map { _ in 0.5 } })
        }
        #expect(try loss(trained) < loss(p))
        #expect(state.count == 16)
    }
}
