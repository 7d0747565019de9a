import CellForge
import Testing

/// The batched entry points (sequences interleaved in lockstep groups) give exactly
/// what the per-sequence ones give, for every count (full groups and tails).
@Suite struct BatchAgreementTests {
    /// Every committed kernel (all three kernel sets), opened through its registry.
    @Test(arguments: CommittedKernels.keys) func batchEqualsSequenceBySequence(_ key: KernelKey) throws {
        try CommittedKernels.open(key, with: Opener())
    }

    /// Runs `check` on the kernel it is given for every count from 1 to 2·interleave + 1: a
    /// tail alone, one and two full lockstep groups, and each with every tail length.
    struct Opener: KernelOpener {
        func open<K: GeneratedKernel>(_ kernel: K) {
            for count in 1...(2 * kernel.interleave + 1) { BatchAgreementTests().check(kernel, count: count) }
        }
    }

    func check<K: RecurrentKernel>(_ kernel: K, count N: Int) {
        typealias S = K.Scalar
        let (H, D, T, Z) = (kernel.hiddenSize, kernel.inputSize, 6, kernel.stateSize)
        let tapeCount = kernel.tapeCount(length: T)
        var rng = SplitMix64(seed: UInt64(N))
        let p = try! CellParameters<S>.random(kind: kernel.kind, hiddenSize: H, inputSize: D, seed: 3)
        var w = [S](repeating: 0, count: kernel.parameterStorageCount)
        w.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }
        func draw(_ n: Int) -> [S] { (0..<n).map { _ in rng.nextSigned() } }
        let x = draw(N * T * D), s0 = draw(N * Z), dy = draw(N * T * H), dFinal = draw(N * Z)

        // One sequence at a time.
        var state1 = s0, out1 = [S](repeating: 0, count: N * T * H), tape1 = [S](repeating: .nan, count: N * tapeCount)
        var dx1 = [S](repeating: 0, count: N * T * D), d01 = [S](repeating: 0, count: N * Z)
        var g1 = [S](repeating: 0, count: kernel.parameterStorageCount)
        var plain1 = s0, plainOut1 = out1
        for n in 0..<N {
            x.withUnsafeBufferPointer { xs in
            state1.withUnsafeMutableBufferPointer { st in out1.withUnsafeMutableBufferPointer { o in tape1.withUnsafeMutableBufferPointer { tp in
                kernel.forward(parameters: w, input: xs.baseAddress! + n * T * D, length: T, state: st.baseAddress! + n * Z,
                               output: o.baseAddress! + n * T * H, tape: tp.baseAddress! + n * tapeCount)
            } } }
            plain1.withUnsafeMutableBufferPointer { st in plainOut1.withUnsafeMutableBufferPointer { o in
                kernel.forward(parameters: w, input: xs.baseAddress! + n * T * D, length: T, state: st.baseAddress! + n * Z,
                               output: o.baseAddress! + n * T * H, tape: nil)
            } }
            dy.withUnsafeBufferPointer { d in dFinal.withUnsafeBufferPointer { f in
            tape1.withUnsafeMutableBufferPointer { tp in dx1.withUnsafeMutableBufferPointer { ddx in d01.withUnsafeMutableBufferPointer { i in
                kernel.backward(parameters: w, input: xs.baseAddress! + n * T * D, length: T, tape: tp.baseAddress! + n * tapeCount,
                                outputGradient: d.baseAddress! + n * T * H, finalStateGradient: f.baseAddress! + n * Z,
                                inputGradient: ddx.baseAddress! + n * T * D, initialStateGradient: i.baseAddress! + n * Z,
                                parameterGradient: &g1)
            } } } } }
            }
        }

        // The whole batch at once.
        var stateB = s0, outB = [S](repeating: 0, count: N * T * H), tapeB = [S](repeating: .nan, count: N * tapeCount)
        var dxB = [S](repeating: 0, count: N * T * D), d0B = [S](repeating: 0, count: N * Z)
        var gB = [S](repeating: 0, count: kernel.parameterStorageCount)
        var plainB = s0, plainOutB = outB
        x.withUnsafeBufferPointer { xs in dy.withUnsafeBufferPointer { d in dFinal.withUnsafeBufferPointer { f in
        stateB.withUnsafeMutableBufferPointer { st in outB.withUnsafeMutableBufferPointer { o in tapeB.withUnsafeMutableBufferPointer { tp in
        dxB.withUnsafeMutableBufferPointer { ddx in d0B.withUnsafeMutableBufferPointer { i in
            let batch = KernelBatch(count: N, length: T, input: xs.baseAddress!, inputStride: T * D,
                                      state: st.baseAddress!, stateStride: Z, output: o.baseAddress!, outputStride: T * H,
                                      tape: tp.baseAddress!, tapeStride: tapeCount, outputGradient: d.baseAddress!,
                                      finalStateGradient: f.baseAddress!, inputGradient: ddx.baseAddress!,
                                      initialStateGradient: i.baseAddress!)
            kernel.forward(parameters: w, batch: batch)
            kernel.backward(parameters: w, batch: batch, parameterGradient: &gB)
            plainB.withUnsafeMutableBufferPointer { pst in plainOutB.withUnsafeMutableBufferPointer { po in
                var inference = batch
                inference.state = pst.baseAddress!; inference.output = po.baseAddress!; inference.tape = nil
                kernel.forward(parameters: w, batch: inference)
            } }
        } } } } } } } }

        let what = "\(kernel.kind) H\(H) D\(D) count \(N)"
        #expect(outB == out1 && stateB == state1, "\(what): forward")
        #expect(plainOutB == plainOut1 && plainB == plain1 && plainOutB == out1, "\(what): inference")
        #expect(dxB == dx1 && d0B == d01, "\(what): input and state gradients")
        #expect(gB == g1, "\(what): parameter gradients")
    }
}
