import CellForge
import CellForgeTestKernels
import Testing

/// Seed 002's worked example through the generated LSTM H1 D2 kernel, whose four gates
/// are exactly one SIMD4. Expected values as in CellForgeTests/Seed002Tests (the seed's
/// printed decimals with DESIGN.md's corrections; 2e-5 for the seed's rounding of
/// intermediates, plus Float rounding and the vector tanh's ≤ 3e-7).
@Suite struct Seed002KernelTests {
    @Test func kernelReproducesTheWorkedExample() throws {
        let kernel = LSTM_H1_D2_Float()
        #expect(LSTM_H1_D2_Float.layout.chunkCount == 1 && LSTM_H1_D2_Float.layout.chunkWidth == 4)
        let p = try CellParameters<Float>(kind: .lstm, hiddenSize: 1, inputSize: 2,
                                          W: [0.45, 0.25, 0.95, 0.8, 0.7, 0.45, 0.6, 0.4],
                                          U: [0.15, 0.8, 0.1, 0.25], b: [0.2, 0.65, 0.15, 0.1])
        var w = [Float](repeating: 0, count: kernel.parameterStorageCount)
        w.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }
        let x: [Float] = [1, 2, 0.5, 3], labels: [Float] = [0.5, 1.25]
        var state: [Float] = [0, 0], out = [Float](repeating: 0, count: 2)
        var tape = [Float](repeating: .nan, count: kernel.tapeCount(length: 2))
        kernel.forward(parameters: w, input: x, length: 2, state: &state, output: &out, tape: &tape)
        let tol: Float = 2.1e-5 + 1e-6
        #expect(abs(out[0] - 0.53631) <= tol && abs(out[1] - 0.77197) <= tol, "out \(out)")
        #expect(abs(state[1] - 1.51764) <= tol, "state_1 \(state[1])")

        let dy = zip(out, labels).map { $0 - $1 }
        var g = [Float](repeating: 0, count: kernel.parameterStorageCount)
        var dx = [Float](repeating: 0, count: 4), d0: [Float] = [0, 0]
        kernel.backward(parameters: w, input: x, length: 2, tape: &tape, outputGradient: dy, finalStateGradient: nil,
                        inputGradient: &dx, initialStateGradient: &d0, parameterGradient: &g)
        let grads = g.withUnsafeBufferPointer { kernel.unpack($0) }
        func close(_ a: some Collection<Float>, _ e: [Float], _ what: String, _ t: [Float]? = nil) {
            for (k, (v, want)) in zip(a, e).enumerated() {
                #expect(abs(v - want) <= (t?[k] ?? tol), "\(what)[\(k)] = \(v), expected \(want)")
            }
        }
        close(dx, [-0.00817, -0.00487, -0.04743, -0.03073], "δx")
        close([d0[0]], [-0.00343], "δout_-1")
        // δW tolerance as in Seed002Tests: 5e-6·(Σ_t |x_t[j]| + 1) from the seed's rounded δgates.
        let wTol: [Float] = (0..<8).map { $0 % 2 == 0 ? 1.25e-5 + 1e-6 : 3e-5 + 1e-6 }
        close(grads.W, [-0.02672, -0.0922, -0.00221, -0.00666, -0.00316, -0.01893, -0.02593, -0.16262], "δW", wTol)
        close(grads.U, [-0.01040, -0.00060, -0.00338, -0.02970], "δU")
        close(grads.b, [-0.03641, -0.00276, -0.00631, -0.05361], "δb")

        var sgd = try SGD<Float>(learningRate: 0.1)
        w.withUnsafeMutableBufferPointer { pw in g.withUnsafeBufferPointer { _ = sgd.step(parameters: pw, gradients: $0) } }
        let updated = w.withUnsafeBufferPointer { kernel.unpack($0) }
        close(updated.W, [0.45267, 0.25922, 0.95022, 0.80067, 0.70031, 0.45189, 0.60259, 0.41626], "W new")
        close(updated.b, [0.20364, 0.65028, 0.15063, 0.10536], "b new")
    }
}
