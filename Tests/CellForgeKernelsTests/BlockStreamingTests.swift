import CellForge
import CellForgeBenchmarkKernels
import CellForgeKernels
import CellForgeTestKernels
import Testing

/// Kernels with large weights compute W·x_t + b for blocks of steps ahead in a call of one
/// sequence of at least 4 steps (blocks of 16 steps at LSTM H64 D64, 21 at GRU H64 D64); the
/// results must be the same bits as one call per step (which keeps W·x_t in the step) and as
/// a taped forward (which keeps the block in the tape's deltas).
@Suite struct BlockStreamingTests {
    /// Lengths spanning several blocks and a partial one; LSTM_H8_D8_Float (no blocks) as a control.
    @Test(arguments: [LSTM_H64_D64_Float() as any RecurrentKernel, LSTM_H64_D64_Float_V512(), GRU_H64_D64_Float(),
                      LSTM_H8_D8_Float()])
    func blockCallEqualsOneCallPerStep(_ kernel: any RecurrentKernel) { check(kernel) }

    func check<K: RecurrentKernel>(_ kernel: K) {
        typealias S = K.Scalar
        let (H, D, T) = (kernel.hiddenSize, kernel.inputSize, 71)
        var rng = SplitMix64(seed: 11)
        let p = try! CellParameters<S>.random(kind: kernel.kind, hiddenSize: H, inputSize: D, seed: 4)
        var w = [S](repeating: 0, count: kernel.parameterStorageCount)
        w.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }
        let x: [S] = (0..<T * D).map { _ in rng.nextSigned() }
        let s0: [S] = (0..<kernel.stateSize).map { _ in rng.nextSigned() }
        var block = s0, perStep = s0, taped = s0
        var outBlock = [S](repeating: 0, count: T * H), outStep = outBlock, outTaped = outBlock
        var tape = [S](repeating: .nan, count: kernel.tapeCount(length: T))
        kernel.forward(parameters: w, input: x, length: T, state: &block, output: &outBlock, tape: nil)
        kernel.forward(parameters: w, input: x, length: T, state: &taped, output: &outTaped, tape: &tape)
        x.withUnsafeBufferPointer { xs in outStep.withUnsafeMutableBufferPointer { o in
            for t in 0..<T {
                kernel.forward(parameters: w, input: xs.baseAddress! + t * D, length: 1, state: &perStep,
                               output: o.baseAddress! + t * H, tape: nil)
            }
        } }
        #expect(outBlock == outStep && block == perStep)
        #expect(outBlock == outTaped && block == taped)
        // Against the Double reference over several blocks, forward and backward (the taped
        // forward keeps z_t in the deltas it later overwrites). Float: √(T·(H + D))·ε with
        // ε = 6e-8 is 5.7e-6 at H64 D64 T71, plus ≤ 3e-7 per activation, so 1e-5 (the
        // agreement tests' reasoning at a longer T); Double: 1e-12 as there.
        let outcome = try! checkKernel(kernel, length: T, seed: 31)
        let tolerance = S.self == Double.self ? 1e-12 : 1e-5
        for (name, error) in outcome.errors.sorted(by: { $0.key < $1.key }) {
            #expect(error <= tolerance, "\(name): relative error \(error)")
        }
    }
}
