import CellForge
import CellForgeKernels
import Testing

/// Behaviour every generated kernel promises beyond matching the reference.
@Suite struct KernelContractTests {
    /// Inference without a tape gives the same outputs and final state as with one, and
    /// streaming in two calls equals one call.
    @Test(arguments: [LSTM_H3_D5_Float() as any RecurrentKernel, GRU_H5_D3_Float(), RNN_H8_D8_Float()])
    func inferenceAndStreamingMatchTapedForward(_ kernel: any RecurrentKernel) { check(kernel) }

    func check<K: RecurrentKernel>(_ kernel: K) {
        typealias S = K.Scalar
        let (H, D, T) = (kernel.hiddenSize, kernel.inputSize, 9)
        var rng = SplitMix64(seed: 5)
        let p = try! CellParameters<S>.random(kind: kernel.kind, hiddenSize: H, inputSize: D, seed: 9)
        var w = [S](repeating: 0, count: kernel.parameterStorageCount)
        w.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }
        let x: [S] = (0..<T * D).map { _ in rng.nextSigned() }
        let s0: [S] = (0..<kernel.stateSize).map { _ in rng.nextSigned() }
        var taped = s0, streamed = s0, plain = s0
        var outTaped = [S](repeating: 0, count: T * H), outStream = outTaped, outPlain = outTaped
        var tape = [S](repeating: .nan, count: kernel.tapeCount(length: T))
        kernel.forward(parameters: w, input: x, length: T, state: &taped, output: &outTaped, tape: &tape)
        kernel.forward(parameters: w, input: x, length: T, state: &plain, output: &outPlain, tape: nil)
        x.withUnsafeBufferPointer { xs in outStream.withUnsafeMutableBufferPointer { o in
            kernel.forward(parameters: w, input: xs.baseAddress!, length: 4, state: &streamed, output: o.baseAddress!, tape: nil)
            kernel.forward(parameters: w, input: xs.baseAddress! + 4 * D, length: T - 4, state: &streamed,
                           output: o.baseAddress! + 4 * H, tape: nil)
        } }
        #expect(outPlain == outTaped && plain == taped)
        #expect(outStream == outTaped && streamed == taped)
        // Length 0: the state passes through; backward adds nothing and passes the final gradient back.
        var same = s0
        kernel.forward(parameters: w, input: x, length: 0, state: &same, output: nil, tape: &tape)
        #expect(same == s0)
        var g = [S](repeating: 0, count: kernel.parameterStorageCount), back = [S](repeating: 0, count: kernel.stateSize)
        kernel.backward(parameters: w, input: x, length: 0, tape: &tape, outputGradient: nil, finalStateGradient: s0,
                        inputGradient: nil, initialStateGradient: &back, parameterGradient: &g)
        #expect(back == s0 && g.allSatisfy { $0 == 0 })
    }
}
