import CellForge
import CellForgeKernels
import Foundation
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

    /// The "Checkpoints" example: a cell driver's checkpoint is a model checkpoint of its
    /// engine, and restoring it into a new driver gives back the same parameter bits.
    @Test func checkpointExample() throws {
        let p = try CellParameters<Float>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 2)
        let batch = try SequenceBatch(inputs: (0..<48).map { Float($0 % 5) / 5 }, lengths: [2, 4], inputSize: 8)
        let trained = try BatchDriver(kernel: LSTM_H8_D8_Float(), parameters: p)
        var first = try Adam<Float>(learningRate: 0.01)
        _ = try trained.train(batch, supervision: .l2(targets: [Float](repeating: 0.5, count: 48)), optimizer: &first)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run.safetensors")
        do {
            let driver = trained, adam = first
            try ModelCheckpoint(driver: driver.engine, optimizer: adam, metadata: ["epoch": "12"]).save(to: url)
        }

        // later, or in another process: a new driver and optimizer continue exactly
        let checkpoint = try ModelCheckpoint.load(from: url, as: Float.self)
        let driver = try BatchDriver(kernel: LSTM_H8_D8_Float(), parameters: p)  // any start: restore replaces it
        var adam = try Adam<Float>(learningRate: 0.01)                 // same hyperparameters as before
        try checkpoint.restore(into: driver.engine, optimizer: &adam)  // all or nothing

        #expect(driver.parameters == trained.parameters && adam.state == first.state && checkpoint.metadata == ["epoch": "12"])
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
