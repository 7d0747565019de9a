import CellForge
import CellForgeKernels
import Foundation
import Testing

/// Models trained in CellForge (a few Adam steps of `ModelDriver` on a small deterministic
/// task), exported as PyTorch state_dicts to Tests/Fixtures/formats with the kernel model's
/// outputs for seeded inputs, so that `check_torch_export.py` loads them into PyTorch with
/// `load_state_dict(strict=True)` and compares PyTorch's outputs with CellForge's.
///
/// The test checks that the committed files are what training and the kernels give today;
/// run with CELLFORGE_WRITE_FORMAT_FIXTURES=1 to rewrite them (then run the script).
@Suite struct TorchExportTests {
    /// The exported models: architecture, initial parameters' seed and the fixture name.
    static let models: [(name: String, architecture: ModelArchitecture, seed: UInt64)] = [
        ("cellforge_export_lstm2_linear", try! ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2), 2026),
        ("cellforge_export_gru_linear_tanh", try! ModelArchitecture(kind: .gru, inputSize: 2, hiddenSizes: [7], outputSize: 3,
                                                                     activation: .tanh), 2027),
    ]

    /// The activation after the Linear: the last layer's kind if it is an activation layer.
    static func activation(_ architecture: ModelArchitecture) -> ActivationKind {
        if case let .activation(a) = architecture.layers.last { a.kind } else { .identity }
    }

    /// What the JSON beside each export holds.
    struct Outputs: Codable, Equatable {
        /// "identity", "tanh" or "sigmoid": what the PyTorch side applies after the Linear.
        var activation: String
        /// Inputs [N][T][D].
        var x: [[[Double]]]
        /// CellForge's outputs [N][T][O]: the Double kernel model (`ModelDriver.infer`) run from
        /// zero states with the exported Float parameters.
        var outputs: [[[Double]]]
    }

    /// Seeded sequences [N][T][D] in ±1.
    static func sequences(count: Int, length: Int, inputSize: Int, seed: UInt64) -> [[[Double]]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<length).map { _ in (0..<inputSize).map { _ in rng.nextSigned(Double.self) } } }
    }

    /// Trains from seeded parameters for five Adam steps on 8 sequences of 9 steps whose targets
    /// are y_t,o = ½ sin(0.7·Σ_{s ≤ t} Σ_d x_s,d + o): the running sum needs the recurrence.
    static func trained(_ architecture: ModelArchitecture, seed: UInt64) throws -> (ModelParameters<Float>, losses: [Double]) {
        let (N, T, D, O) = (8, 9, architecture.inputSize, architecture.outputSize)
        let x = sequences(count: N, length: T, inputSize: D, seed: seed)
        var targets: [Float] = []
        for sequence in x {
            var sum = 0.0
            for step in sequence {
                sum += step.reduce(0, +)
                targets += (0..<O).map { Float(0.5 * sin(0.7 * sum + Double($0))) }
            }
        }
        let batch = try SequenceBatch(inputs: x.joined().joined().map { Float($0) }, lengths: Array(repeating: T, count: N), inputSize: D)
        let driver = try ModelDriver(parameters: ModelParameters<Float>.random(architecture, seed: seed), registry: GeneratedKernels.self,
                                     workerCount: 1)
        var adam = try Adam<Float>(learningRate: 0.02)
        let losses = try (0..<5).map { _ in
            try driver.train(batch, supervision: .meanSquaredError(targets: targets), optimizer: &adam,
                             clipping: try GradientClipping(maxNorm: 1)).loss!
        }
        return (driver.parameters, losses)
    }

    /// The Double kernel model's outputs for 3 seeded sequences of 7 steps.
    static func outputs(_ model: ModelParameters<Float>, seed: UInt64) throws -> Outputs {
        let (N, T, D, O) = (3, 7, model.architecture.inputSize, model.architecture.outputSize)
        let x = sequences(count: N, length: T, inputSize: D, seed: seed)
        let driver = try ModelDriver(parameters: model.converted(to: Double.self), registry: GeneratedKernels.self, workerCount: 1)
        var states = [Double](repeating: 0, count: N * driver.model.stateSize)
        let y = try driver.infer(try SequenceBatch(inputs: Array(x.joined().joined()), lengths: Array(repeating: T, count: N), inputSize: D),
                                 states: &states)
        let outputs = (0..<N).map { n in (0..<T).map { t in Array(y[((n * T + t) * O)..<((n * T + t + 1) * O)]) } }
        return Outputs(activation: try RecurrentStackWithHead(model, format: "a PyTorch export").activation.description, x: x, outputs: outputs)
    }

    /// Training lowers the loss; the committed state_dict holds the trained parameters and the
    /// committed JSON the kernel model's outputs for them.
    @Test func committedExportsAreTrainedModelsAndTheirOutputs() throws {
        let write = ProcessInfo.processInfo.environment["CELLFORGE_WRITE_FORMAT_FIXTURES"] != nil
        let folder = ModelFixture.directory.deletingLastPathComponent().appendingPathComponent("formats")
        for (k, (name, architecture, seed)) in Self.models.enumerated() {
            let (model, losses) = try Self.trained(architecture, seed: seed)
            #expect(losses.last! < losses.first!, "\(name): losses \(losses)")
            let stateURL = folder.appendingPathComponent(name + ".safetensors"), jsonURL = folder.appendingPathComponent(name + ".json")
            if write {
                try PyTorchModelWeights.tensors(model).write(to: stateURL)
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                try encoder.encode(Self.outputs(model, seed: 90 + UInt64(k))).write(to: jsonURL)
            }
            let committed = try PyTorchModelWeights.parameters(from: SafeTensors(contentsOf: stateURL),
                                                               activation: Self.activation(architecture), as: Float.self)
            #expect(committed.architecture == architecture)
            // Five Adam steps move each parameter by at most 5·0.02; a build that rounds differently
            // (say with -DCELLFORGE_FMA) changes gradients by ~1e-6 relative and the steps by as
            // little, so 1e-4 of the parameters' scale passes any build while a step more or less
            // (≥ 1e-3 on most parameters) or a wrong tensor fails.
            let e = relativeError(ModelTestSupport.flat(committed), ModelTestSupport.flat(model).map(Double.init))
            #expect(e <= 1e-4, "\(name).safetensors: relative difference \(e) from the model trained today")

            let saved = try JSONDecoder().decode(Outputs.self, from: Data(contentsOf: jsonURL))
            let recomputed = try Self.outputs(committed, seed: 90 + UInt64(k))
            #expect(saved.x == recomputed.x && saved.activation == recomputed.activation)
            // The same Double kernels on the same parameters: equal but for a build's contraction
            // of multiply-adds (≤ a few ulp per operation, ~1e-15 relative after a few hundred).
            let o = relativeError(Array(recomputed.outputs.joined().joined()), Array(saved.outputs.joined().joined()))
            #expect(o <= 1e-12, "\(name).json: outputs differ from the kernel model's by \(o)")
        }
    }
}
