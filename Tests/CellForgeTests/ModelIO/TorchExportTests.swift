import CellForge
import Foundation
import Testing

/// Models made in CellForge, exported as PyTorch state_dicts, kept in Tests/Fixtures/formats
/// with CellForge's outputs for seeded inputs, so that `check_torch_export.py` can load them
/// into PyTorch with `load_state_dict(strict=True)` and compare its outputs with CellForge's.
/// These tests check that the committed files are exactly what CellForge exports and computes
/// today; run with CELLFORGE_WRITE_FORMAT_FIXTURES=1 to rewrite them.
@Suite struct TorchExportTests {
    /// The exported models (seeded random parameters) and their fixture names.
    static func models() throws -> [(name: String, model: ModelParameters<Float>)] {
        [("cellforge_export_lstm2_linear", try .random(ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2), seed: 2026)),
         ("cellforge_export_gru_linear_tanh", try .random(ModelArchitecture(kind: .gru, inputSize: 2, hiddenSizes: [7], outputSize: 3,
                                                                            activation: .tanh), seed: 2027))]
    }

    /// What the JSON beside each export holds.
    struct Outputs: Codable, Equatable {
        /// "identity", "tanh" or "sigmoid": what the PyTorch side applies after the Linear.
        var activation: String
        /// Inputs [N][T][D].
        var x: [[[Double]]]
        /// CellForge's outputs [N][T][O], computed in Double from the Float parameters.
        var outputs: [[[Double]]]
    }

    static func outputs(_ model: ModelParameters<Float>, seed: UInt64) throws -> Outputs {
        var rng = SplitMix64(seed: seed)
        let D = model.architecture.inputSize
        let x = (0..<3).map { _ in (0..<7).map { _ in (0..<D).map { _ in rng.nextSigned(Double.self) } } }
        let double = model.converted(to: Double.self)
        return Outputs(activation: model.head!.shape.activation.rawValue, x: x,
                       outputs: try x.map { try ModelIOTestSupport.outputs(double, $0) })
    }

    @Test func committedExportsAreWhatCellForgeWritesAndComputes() throws {
        let write = ProcessInfo.processInfo.environment["CELLFORGE_WRITE_FORMAT_FIXTURES"] != nil
        for (k, (name, model)) in try Self.models().enumerated() {
            let state = try PyTorchModelWeights.tensors(model).serialized()
            let outputs = try Self.outputs(model, seed: 90 + UInt64(k))
            let stateURL = try ModelIOTestSupport.url(name + ".safetensors"), jsonURL = try ModelIOTestSupport.url(name + ".json")
            if write {
                try state.write(to: stateURL)
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                try encoder.encode(outputs).write(to: jsonURL)
            }
            #expect(try Data(contentsOf: stateURL) == state, "\(name).safetensors differs from today's export")
            #expect(try JSONDecoder().decode(Outputs.self, from: Data(contentsOf: jsonURL)) == outputs,
                    "\(name).json differs from today's outputs")
        }
    }
}
