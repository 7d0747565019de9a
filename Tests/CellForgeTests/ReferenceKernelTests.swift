import CellForge
import Testing

/// `ReferenceKernel` is the reference cell behind the kernel interface: the same
/// outputs, states and gradients as calling the cell directly, bit for bit.
@Suite struct ReferenceKernelTests {
    @Test(arguments: CellKind.allCases)
    func matchesReferenceCell(_ kind: CellKind) throws {
        let (H, D, T) = (3, 2, 4)
        let kernel = try ReferenceKernel<Double>(kind: kind, hiddenSize: H, inputSize: D)
        let p = try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, seed: 5)
        var rng = SplitMix64(seed: 6)
        let x: [[Double]] = TestSupport.sequence(T, D, &rng), dy: [[Double]] = TestSupport.sequence(T, H, &rng)
        let h0: [Double] = TestSupport.vector(H, &rng), c0: [Double] = kind == .lstm ? TestSupport.vector(H, &rng) : []
        let dFinal: [Double] = TestSupport.vector(kernel.stateSize, &rng)
        let cell = try TestSupport.cell(p)
        let trace = try cell.forward(x, initialHidden: h0, initialCell: kind == .lstm ? c0 : nil)
        let ref = try cell.backward(trace, outputGradients: dy, finalHiddenGradient: Array(dFinal[0..<H]),
                                    finalCellGradient: kind == .lstm ? Array(dFinal[H...]) : nil)

        var storage = [Double](repeating: 0, count: kernel.parameterStorageCount)
        storage.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }
        #expect(storage == p.values, "storage is the canonical layout")
        var state = h0 + c0
        var output = [Double](repeating: .nan, count: T * H), dx = [Double](repeating: .nan, count: T * D)
        var tape = [Double](repeating: .nan, count: kernel.tapeCount(length: T))
        var dInitial = [Double](repeating: .nan, count: kernel.stateSize)
        var gradient = [Double](repeating: 1, count: kernel.parameterStorageCount)
        let xs = x.flatMap { $0 }, dys = dy.flatMap { $0 }
        kernel.forward(parameters: storage, input: xs, length: T, state: &state, output: &output, tape: &tape)
        kernel.backward(parameters: storage, input: xs, length: T, tape: &tape, outputGradient: dys,
                        finalStateGradient: dFinal, inputGradient: &dx, initialStateGradient: &dInitial,
                        parameterGradient: &gradient)
        #expect(output == trace.hidden.flatMap { $0 })
        #expect(state == trace.finalHidden + trace.finalCell)
        #expect(dx == ref.inputs.flatMap { $0 })
        #expect(dInitial == ref.initialHidden + ref.initialCell)
        #expect(gradient == ref.parameters.values.map { $0 + 1 }, "backward adds into the gradient")
    }

    /// Zero steps: the state passes through, and so does its gradient; nothing is added.
    @Test func lengthZeroIsIdentity() throws {
        let kernel = try ReferenceKernel<Float>(kind: .lstm, hiddenSize: 2, inputSize: 1)
        let storage = [Float](repeating: 0.5, count: kernel.parameterStorageCount)
        var state: [Float] = [1, 2, 3, 4], tape = [Float](repeating: .nan, count: kernel.tapeCount(length: 0))
        var gradient = [Float](repeating: 0, count: kernel.parameterStorageCount), dInitial = [Float](repeating: .nan, count: 4)
        let none: [Float] = []
        kernel.forward(parameters: storage, input: [0], length: 0, state: &state, output: nil, tape: &tape)
        kernel.backward(parameters: storage, input: [0], length: 0, tape: &tape, outputGradient: none,
                        finalStateGradient: [5, 6, 7, 8], inputGradient: nil, initialStateGradient: &dInitial,
                        parameterGradient: &gradient)
        #expect(state == [1, 2, 3, 4])
        #expect(dInitial == [5, 6, 7, 8])
        #expect(gradient.allSatisfy { $0 == 0 })
        #expect(throws: CellForgeError.self) { try ReferenceKernel<Float>(kind: .rnn, hiddenSize: 0, inputSize: 1) }
    }
}
