import CellForge
import CellForgeKernels
import Testing

/// The kernel model driver against the Double reference model, over batches with sequences of
/// different lengths (runs of equal length, a length-0 sequence), non-zero initial states and
/// final-state gradients: outputs, final states, loss, every gradient, δx and the initial-state
/// gradients.
@Suite struct KernelModelAgreementTests {
    static let lengths = [5, 0, 7, 7, 7, 3, 7]

    /// Float: as in the PyTorch fixture tests, rounding (√(T·L·(H + D))·ε ≈ √(7·2·16)·6e-8 ≈ 9e-7)
    /// plus the vector tanh/σ (≤ 3e-7 each): 1e-5 of each tensor's scale.
    @Test func floatLSTM2x8DenseMatchesReference() throws {
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)
        try agree(architecture, Float.self, tolerance: 1e-5)
    }

    /// GRU with a tanh head, in Float (same tolerance argument).
    @Test func floatGRUDenseTanhMatchesReference() throws {
        let architecture = try ModelArchitecture(kind: .gru, inputSize: 2, hiddenSizes: [12], outputSize: 3, activation: .tanh)
        try agree(architecture, Float.self, tolerance: 1e-5)
    }

    /// Double: the same math in the same precision (~1e-15); 1e-10 catches any formula error.
    @Test func doubleLSTM2x5SigmoidMatchesReference() throws {
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2, activation: .sigmoid)
        try agree(architecture, Double.self, tolerance: 1e-10)
    }

    /// Every layer kind around the kernels, Float (same tolerance argument).
    @Test func floatMixedModelMatchesReference() throws {
        try agree(ModelTestSupport.mixedFloat, Float.self, tolerance: 1e-5)
    }

    /// The other layer kinds (leaky ReLU, ELU, identity, softmax) in Double.
    @Test func doubleMixedModelMatchesReference() throws {
        try agree(ModelTestSupport.mixedDouble, Double.self, tolerance: 1e-10)
    }

    func agree<S: CellScalar>(_ architecture: ModelArchitecture, _: S.Type, tolerance: Double) throws {
        let c = try ModelTestSupport.randomCase(architecture, lengths: Self.lengths, seed: 41, as: S.self)
        var rng = SplitMix64(seed: 43)
        let fsg = c.states.map { _ in rng.nextSigned(S.self) / 4 }
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2, sequencesPerChunk: 2)
        let o = try ModelTestSupport.outcome(driver, c.batch, initialStates: c.states,
                                             supervision: .meanSquaredError(targets: c.targets), finalStateGradients: fsg)
        let batch = try SequenceBatch(inputs: c.batch.inputs.map(Double.init), lengths: c.batch.lengths, inputSize: c.batch.inputSize)
        let r = try ModelTestSupport.reference(c.parameters.converted(to: Double.self), batch,
                                               initialStates: c.states.map(Double.init), targets: c.targets.map(Double.init),
                                               finalStateGradients: fsg.map(Double.init))
        let pairs: [(String, [Double], [Double])] = [
            ("outputs", o.outputs, r.outputs), ("final states", o.finalStates, r.finalStates), ("loss", [o.loss], [r.loss]),
            ("δx", o.inputGradients, r.inputGradients), ("δ initial states", o.initialStateGradients, r.initialStateGradients),
        ] + o.gradient.layers.indices.map { ("layer \($0) gradient", o.gradient.layers[$0].values, r.gradient.layers[$0].values) }
        for (what, actual, expected) in pairs {
            let e = relativeError(actual, expected)
            #expect(e <= tolerance, "\(architecture) \(what): relative error \(e)")
        }
    }
}
