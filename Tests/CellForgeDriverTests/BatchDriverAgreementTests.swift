import CellForge
import CellForgeKernels
import Testing

/// The driver gives what the reference cells give one sequence after another:
/// loss, summed gradient, outputs and final states, for unequal lengths (0 included).
@Suite struct BatchDriverAgreementTests {
    static let lengths = [5, 0, 9, 1, 13, 7, 0, 3, 11, 2, 6]

    /// Float kernels against the Double reference: each value is a sum of at most a few
    /// hundred rounded products per sequence, summed over 11 sequences; 3e-5 of each
    /// tensor's scale bounds that (a wrong sequence or a missed step shows at 1e-2 or more).
    @Test(arguments: [LSTM_H8_D8_Float(), LSTM_H3_D5_Float(), GRU_H5_D3_Float(), RNN_H8_D8_Float()] as [any RecurrentKernel])
    func generatedKernelMatchesSerialReference(_ kernel: any RecurrentKernel) throws {
        try check(kernel, tolerance: 3e-5)
    }

    /// The reference kernel in Double differs from the serial loop only in summation order.
    @Test(arguments: CellKind.allCases)
    func referenceKernelMatchesSerialReference(_ kind: CellKind) throws {
        try check(try ReferenceKernel<Double>(kind: kind, hiddenSize: 3, inputSize: 2), tolerance: 1e-12)
    }

    func check<K: RecurrentKernel>(_ kernel: K, tolerance: Double) throws {
        let c = try DriverTestSupport.randomCase(kernel.kind, hidden: kernel.hiddenSize, input: kernel.inputSize,
                                                 lengths: Self.lengths, seed: 41, as: K.Scalar.self)
        let expected = try DriverTestSupport.serialReference(c)
        let what = "\(kernel.kind) H\(kernel.hiddenSize) D\(kernel.inputSize) \(K.Scalar.self)"
        for workers in [1, 2] {
            let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: workers, sequencesPerChunk: 3)
            var dx = [K.Scalar](repeating: .nan, count: c.batch.inputs.count)
            let (loss, gradient) = try dx.withUnsafeMutableBufferPointer {
                try driver.gradient(c.batch, initialStates: c.initialStates, supervision: .l2(targets: c.targets), buffers: ModelStepBuffers(inputGradients: $0))
            }
            #expect(DriverTestSupport.relativeError(dx, expected.inputGradients) <= tolerance, "\(what): input gradients")
            #expect(abs(loss! - expected.loss) <= tolerance * expected.loss, "\(what): loss \(loss!) vs \(expected.loss)")
            let gradientError = DriverTestSupport.relativeError(gradient.values, expected.gradient.values)
            #expect(gradientError <= tolerance, "\(what): gradient error \(gradientError)")
            var states = c.initialStates
            let outputs = try driver.infer(c.batch, states: &states)
            #expect(DriverTestSupport.relativeError(outputs, expected.outputs) <= tolerance, "\(what): outputs")
            #expect(DriverTestSupport.relativeError(states, expected.finalStates) <= tolerance, "\(what): final states")
        }
    }
}
