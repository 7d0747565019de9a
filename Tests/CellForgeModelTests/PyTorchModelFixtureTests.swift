import CellForge
import CellForgeKernels
import Testing

/// A 2-layer LSTM + Linear and a GRU + Linear + tanh, computed by PyTorch (float64 and float32,
/// MSELoss mean, non-zero initial states), reproduced by the kernel model driver in Double and
/// Float and by the reference model in Double: outputs, final states, loss and every gradient
/// (each layer's tensors by their state_dict name, the head, x, h0, c0).
@Suite struct PyTorchModelFixtureTests {
    static let names = ["torch_lstm2_linear", "torch_gru_linear_tanh"]

    /// Double vs PyTorch float64: the same math in the same precision, differing only in
    /// summation order, libm and rounding of a few dozen operations per value: ~1e-15 relative;
    /// 1e-10 leaves room and still catches any formula or layout error (≥ 1e-4).
    @Test(arguments: names) func doubleKernelsMatchPyTorch(_ name: String) throws {
        let f = try ModelFixture(name)
        let driver = try ModelDriver(parameters: try f.modelParameters(Double.self), registry: GeneratedKernels.self, workerCount: 1)
        let outcome = try run(f, driver)
        try check(outcome, f, f.float64, tolerance: 1e-10)
    }

    /// The reference model in Double against PyTorch float64: tolerance as above.
    @Test(arguments: names) func referenceModelMatchesPyTorch(_ name: String) throws {
        let f = try ModelFixture(name)
        let batch = try SequenceBatch(inputs: f.x, lengths: Array(repeating: f.T, count: f.N), inputSize: f.D)
        let outcome = try ModelTestSupport.reference(try f.modelParameters(Double.self), batch,
                                                     initialStates: f.modelStates(h: f.h0, c: f.c0), targets: f.targets)
        try check(outcome, f, f.float64, tolerance: 1e-10)
    }

    /// Float kernels against PyTorch float32. Each value is a chain of ≈ T·L·(H + D) ≈ 6·2·10 = 120
    /// multiply-adds through both layers, forward and back (ε = 6e-8, random-walk growth
    /// √120·6e-8 ≈ 7e-7), plus the kernels' vector tanh/σ (≤ 3e-7 absolute each, a few per step);
    /// PyTorch float32 carries its own rounding of the same size. 1e-5 of each tensor's scale bounds
    /// both with margin; a wrong gate, lane or layer shows up at 1e-3 or more.
    @Test(arguments: names) func floatKernelsMatchPyTorch(_ name: String) throws {
        let f = try ModelFixture(name)
        let driver = try ModelDriver(parameters: try f.modelParameters(Float.self), registry: GeneratedKernels.self, workerCount: 1)
        let outcome = try run(f, driver)
        try check(outcome, f, f.float32, tolerance: 1e-5)
    }

    func run<S: CellScalar>(_ f: ModelFixture, _ driver: ModelDriver<S>) throws -> ModelOutcome {
        let batch = try SequenceBatch(inputs: f.x.map { S($0) }, lengths: Array(repeating: f.T, count: f.N), inputSize: f.D)
        return try ModelTestSupport.outcome(driver, batch, initialStates: f.modelStates(h: f.h0, c: f.c0).map { S($0) },
                                            supervision: .meanSquaredError(targets: f.targets.map { S($0) }))
    }

    func check(_ o: ModelOutcome, _ f: ModelFixture, _ torch: ModelFixture.Run, tolerance: Double) throws {
        let expected: [(String, [Double], [Double])] = [
            ("outputs", o.outputs, torch.outputs),
            ("final states", o.finalStates, f.modelStates(h: torch.hT, c: torch.cT)),
            ("loss", [o.loss], [torch.loss]),
            ("δx", o.inputGradients, torch.dx),
            ("δ initial states", o.initialStateGradients, f.modelStates(h: torch.dh0, c: torch.dc0)),
        ]
        for (what, actual, wanted) in expected {
            let e = relativeError(actual, wanted)
            #expect(e <= tolerance, "\(what): relative error \(e)")
        }
        let gradients = try f.torchGradients(o.gradient)
        #expect(Set(gradients.keys) == Set(torch.gradients.keys))
        for (name, wanted) in torch.gradients {
            let e = relativeError(gradients[name] ?? [], wanted)
            #expect(e <= tolerance, "gradient of \(name): relative error \(e)")
        }
    }
}
