import CellForge
import Testing

/// The run-time kernel's backward in Double against central finite differences of its own
/// forward, for every gradient output, one odd size per cell.
@Suite struct RuntimeKernelGradientTests {
    @Test(arguments: [(CellKind.lstm, 7, 3), (.gru, 5, 2), (.rnn, 9, 4), (.rnnReLU, 9, 4), (.rnnReLU, 5, 3)])
    func backwardMatchesFiniteDifferences(_ kind: CellKind, _ H: Int, _ D: Int) throws {
        let T = 4
        let kernel = try RuntimeKernel<Double>(kind: kind, hiddenSize: H, inputSize: D)
        // A relu case takes the first usable seeds from 7 and 31 (see `TestSupport.usableReluSeed`).
        let offset = kind != .rnnReLU ? 0 : try TestSupport.usableReluSeed(from: 0) { s in
            var rng = SplitMix64(seed: 7 + s)
            let p = try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, scale: 0.8, seed: 31 + s)
            let x: [Double] = TestSupport.vector(T * D, &rng)
            return (p, (0..<T).map { Array(x[($0 * D)..<(($0 + 1) * D)]) }, TestSupport.vector(H, &rng))
        }
        var rng = SplitMix64(seed: 7 + offset)
        var params = try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, scale: 0.8, seed: 31 + offset)
        var x: [Double] = TestSupport.vector(T * D, &rng)
        var s0: [Double] = TestSupport.vector(kernel.stateSize, &rng)
        let R: [Double] = TestSupport.vector(T * H, &rng)                 // an upstream gradient on every step
        let rFinal: [Double] = TestSupport.vector(kernel.stateSize, &rng)

        if kind == .rnnReLU {  // Perturbations of 2e-3 must not carry any z across relu's kink at 0.
            let steps = (0..<T).map { Array(x[($0 * D)..<(($0 + 1) * D)]) }
            let margin = try TestSupport.reluKinkMargin(params, steps, s0)
            #expect(margin > 0.02, "\(kind) H\(H) D\(D): a pre-activation |z| = \(margin) lies near relu's kink")
        }
        /// L = Σ_t ⟨R_t, h_t⟩ + ⟨r, final state⟩, run through the kernel's forward.
        func loss() -> Double {
            var w = [Double](repeating: 0, count: kernel.parameterStorageCount)
            w.withUnsafeMutableBufferPointer { kernel.pack(params, into: $0) }
            var state = s0, output = [Double](repeating: 0, count: T * H)
            kernel.forward(parameters: w, input: x, length: T, state: &state, output: &output, tape: nil)
            return TestSupport.dot(output, R) + TestSupport.dot(state, rFinal)
        }
        var w = [Double](repeating: 0, count: kernel.parameterStorageCount)
        w.withUnsafeMutableBufferPointer { kernel.pack(params, into: $0) }
        var state = s0, tape = [Double](repeating: .nan, count: kernel.tapeCount(length: T))
        var dx = [Double](repeating: .nan, count: T * D), d0 = [Double](repeating: .nan, count: kernel.stateSize)
        var g = [Double](repeating: 0, count: kernel.parameterStorageCount)
        kernel.forward(parameters: w, input: x, length: T, state: &state, output: nil, tape: &tape)
        kernel.backward(parameters: w, input: x, length: T, tape: &tape, outputGradient: R, finalStateGradient: rFinal,
                        inputGradient: &dx, initialStateGradient: &d0, parameterGradient: &g)
        let grads = g.withUnsafeBufferPointer { kernel.unpack($0) }

        var worst = 0.0
        func check(_ analytic: Double, _ numeric: Double, _ what: String) {
            let e = TestSupport.relativeError(analytic, numeric)
            worst = max(worst, e)
            #expect(e < 1e-6, "\(kind) H\(H) D\(D) \(what): analytic \(analytic), numeric \(numeric)")
        }
        for k in params.values.indices {
            check(grads.values[k], TestSupport.centralDifference(loss) { params.values[k] += $0 }, "parameter \(k)")
        }
        for k in x.indices { check(dx[k], TestSupport.centralDifference(loss) { x[k] += $0 }, "δx[\(k)]") }
        for k in s0.indices { check(d0[k], TestSupport.centralDifference(loss) { s0[k] += $0 }, "δ initial state[\(k)]") }
        #expect(worst > 0, "the check compared something")
    }
}
