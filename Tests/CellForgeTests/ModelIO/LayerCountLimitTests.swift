import CellForge
import Foundation
import Testing

/// One layer-count limit, `ModelArchitecture.maximumLayerCount`, enforced where every model is
/// built: an import of more layers is refused at import, so nothing that can be saved fails to
/// load, and a model of exactly the limit saves and loads.
@Suite struct LayerCountLimitTests {
    static let over = ModelArchitecture.maximumLayerCount + 1

    @Test func limitIsEnforcedWhereArchitecturesAreBuilt() throws {
        #expect(ModelArchitecture.maximumLayerCount == 1024)
        let shape = try RecurrentLayerShape(kind: .rnn, hiddenSize: 1, inputSize: 1)
        ModelIOTestSupport.expectError(["layer count 1025", "between 1 and 1024"]) {
            _ = try ModelArchitecture(layers: Array(repeating: .recurrent(shape), count: Self.over))
        }
        ModelIOTestSupport.expectError(["layer count 0", "between 1 and 1024"]) { _ = try ModelArchitecture(layers: []) }
    }

    @Test func rtNeuralImportOfTooManyLayersIsRefused() throws {
        let layer = #"{"type": "lstm", "activation": "tanh", "shape": [null, null, 1], "#
            + #""weights": [[[0.1, 0.2, 0.3, 0.4]], [[0.1, 0.2, 0.3, 0.4]], [0, 0, 0, 0]]}"#
        let json = #"{"in_shape": [null, null, 1], "layers": ["# + Array(repeating: layer, count: Self.over).joined(separator: ",") + "]}"
        // The RTNeural reader counts the layers before building any (ModelArchitecture's limit).
        ModelIOTestSupport.expectError(["RTNeural", "1025 layers", "limit is 1024"]) {
            _ = try RTNeuralModel.parameters(json: Data(json.utf8), as: Float.self)
        }
    }

    @Test func kerasImportOfTooManyLayersIsRefused() throws {
        var file = SafeTensors()
        for l in 0..<Self.over {
            let name = l == 0 ? "lstm" : "lstm_\(l)"
            file["\(name)/kernel"] = try SafeTensors.Tensor(shape: [1, 4], values: [Float](repeating: 0.1, count: 4))
            file["\(name)/recurrent_kernel"] = try SafeTensors.Tensor(shape: [1, 4], values: [Float](repeating: 0.1, count: 4))
            file["\(name)/bias"] = try SafeTensors.Tensor(shape: [4], values: [Float](repeating: 0, count: 4))
        }
        ModelIOTestSupport.expectError(["layer count 1025", "between 1 and 1024"]) {
            _ = try KerasModelWeights.parameters(from: file, as: Float.self)
        }
    }

    @Test func pyTorchImportOfTooManyLayersIsRefused() throws {
        var file = SafeTensors()
        for l in 0..<Self.over {
            file["rnn.weight_ih_l\(l)"] = try SafeTensors.Tensor(shape: [4, 1], values: [Float](repeating: 0.1, count: 4))
            file["rnn.weight_hh_l\(l)"] = try SafeTensors.Tensor(shape: [4, 1], values: [Float](repeating: 0.1, count: 4))
            file["rnn.bias_ih_l\(l)"] = try SafeTensors.Tensor(shape: [4], values: [Float](repeating: 0, count: 4))
            file["rnn.bias_hh_l\(l)"] = try SafeTensors.Tensor(shape: [4], values: [Float](repeating: 0, count: 4))
        }
        ModelIOTestSupport.expectError(["layer count 1025", "between 1 and 1024"]) {
            _ = try PyTorchModelWeights.parameters(from: file, as: Float.self)
        }
    }

    /// A file declaring more layers than the limit is refused naming the entry.
    @Test func modelFileDeclaringTooManyLayersIsRefused() throws {
        var file = try ModelFile(parameters: ModelParameters<Float>.random(ModelArchitecture(kind: .rnn, inputSize: 1, hiddenSizes: [1]),
                                                                           seed: 1)).safeTensors
        file.metadata["cellforge.layer_count"] = String(Self.over)
        ModelIOTestSupport.expectError(["cellforge.layer_count", "layer count 1025", "between 1 and 1024"]) { _ = try ModelFile<Float>(file) }
    }

    @Test func modelOfTheLimitSavesAndLoads() throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arch = try ModelArchitecture(kind: .rnn, inputSize: 1, hiddenSizes: Array(repeating: 1, count: ModelArchitecture.maximumLayerCount))
        let model = try ModelFile(parameters: ModelParameters<Float>.random(arch, seed: 3))
        let url = folder.appendingPathComponent("deep.safetensors")
        try model.save(to: url)
        #expect(try ModelFile<Float>.load(from: url) == model)
        let checkpoint = try ModelCheckpoint(parameters: model.parameters, optimizer: .momentum(velocity: model.parameters))
        try checkpoint.save(to: url)
        #expect(try ModelCheckpoint<Float>.load(from: url) == checkpoint)
    }
}
