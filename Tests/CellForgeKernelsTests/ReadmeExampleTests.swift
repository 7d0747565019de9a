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
        var sgd = try SGD<Float>(learningRate: 0.01)
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

    /// The "Kernel manifest and registry" example: the opener's result equals the kernel run
    /// directly on the same weights.
    @Test func registryOpener() throws {
        let p = try CellParameters<Float>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 4)
        let file = PyTorchWeights.tensors(p)
        let x = (0..<40).map { Float($0 % 7) / 7 - 0.4 }

        let key = KernelKey(kind: .lstm, hiddenSize: 8, inputSize: 8, scalar: .float)   // e.g. from the file's shapes
        let h = try GeneratedKernels.open(key, with: Infer(weights: file, inputs: x))
        let kernel = try GeneratedKernels.kernel(for: key)
        #expect(kernel is LSTM_H8_D8_Float && GeneratedKernels.contains(key))

        let direct = try BatchDriver(kernel: LSTM_H8_D8_Float(), parameters: PyTorchWeights.parameters(.lstm, from: file, as: Float.self))
        var state = [Float](repeating: 0, count: 16)
        #expect(h == (try direct.infer(SequenceBatch(inputs: x, lengths: [5], inputSize: 8), states: &state)))
    }

    /// The README's opener, verbatim.
    struct Infer: KernelOpener {
        let weights: SafeTensors
        let inputs: [Float]
        func open<K: GeneratedKernel>(_ kernel: K) throws -> [Float] {
            let p = try PyTorchWeights.parameters(kernel.kind, from: weights, as: K.Scalar.self)
            let driver = try BatchDriver(kernel: kernel, parameters: p)
            let batch = try SequenceBatch(inputs: inputs.map { K.Scalar($0) }, lengths: [inputs.count / kernel.inputSize],
                                          inputSize: kernel.inputSize)
            var state = [K.Scalar](repeating: 0, count: kernel.stateSize)
            return try driver.infer(batch, states: &state).map { Float($0) }
        }
    }
}
