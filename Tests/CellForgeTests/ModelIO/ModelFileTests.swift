import CellForge
import Foundation
import Testing

/// CellForge model files: save and load give back the same bits, re-serialise byte for byte,
/// the header alone tells the architecture and scalar, and every inconsistent file is refused
/// with one line naming the layer and tensor or entry.
@Suite struct ModelFileTests {
    static func architecture() throws -> ModelArchitecture {
        try ModelArchitecture(recurrent: [RecurrentLayerShape(kind: .lstm, hiddenSize: 5, inputSize: 3),
                                       RecurrentLayerShape(kind: .gru, hiddenSize: 7, inputSize: 5),
                                       RecurrentLayerShape(kind: .rnn, hiddenSize: 4, inputSize: 7)],
                              head: 2, activation: .sigmoid)
    }

    static func file<S: CellScalar>(_: S.Type) throws -> ModelFile<S> {
        try ModelFile(parameters: .random(architecture(), seed: 7), metadata: ["trained on": "sine"])
    }

    @Test func saveAndLoadRoundTripExactlyAndByteForByte() throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        for scalarIsFloat in [true, false] {
            let original: Data
            if scalarIsFloat {
                let model = try Self.file(Float.self)
                try model.save(to: url)
                original = try Data(contentsOf: url)
                let loaded = try ModelFile<Float>.load(from: url)
                #expect(loaded == model)
                #expect(try loaded.safeTensors.serialized() == original)
                #expect(try AnyModelFile.parse(data: original) == .float(model))
            } else {
                let model = try Self.file(Double.self)
                try model.save(to: url)
                original = try Data(contentsOf: url)
                let loaded = try ModelFile<Double>.load(from: url)
                #expect(loaded == model)
                #expect(try loaded.safeTensors.serialized() == original)
                #expect(try AnyModelFile.parse(data: original) == .double(model))
            }
            let header = try ModelFileHeader(contentsOf: url)
            #expect(header.architecture == (try Self.architecture()))
            #expect(header.scalar == (scalarIsFloat ? .float : .double))
            #expect(header.user == ["trained on": "sine"])
        }
        ModelIOTestSupport.expectError(["Float values, not Double", "converted"]) {
            try Self.file(Float.self).save(to: url)
            _ = try ModelFile<Double>.load(from: url)
        }
    }

    /// The model file's tensors and metadata with `edit` applied, parsed as a Float model file.
    func load(_ edit: (inout SafeTensors) throws -> Void) throws {
        var file = try Self.file(Float.self).safeTensors
        try edit(&file)
        _ = try ModelFile<Float>(file)
    }

    @Test func inconsistentFilesAreRefusedNamingLayerAndTensor() throws {
        let bad: [([String], (inout SafeTensors) throws -> Void)] = [
            (["layer 1 (recurrent) input size", "expected 5", "got 6"], { $0.metadata["cellforge.layer.1.input_size"] = "6" }),
            (["layer 1", "\"conv1d\"", "lacks"], { $0.metadata["cellforge.layer.1.kind"] = "conv1d" }),
            (["layer 3 (dense) input size", "expected 4", "got 3"], { $0.metadata["cellforge.layer.3.input_size"] = "3" }),
            (["layer.3.weight", "[3, 4]", "[2, 4]"], {
                $0.metadata["cellforge.layer.3.output_size"] = "3"
                $0.metadata["cellforge.layer.4.size"] = "3"
            }),
            (["missing", "layer.2.U"], { $0["layer.2.U"] = nil }),
            (["unexpected", "layer.3.W"], { $0["layer.3.W"] = $0["layer.2.W"] }),
            (["layer.0.W", "[20, 3]", "[20, 2]"], { $0["layer.0.W"] = try SafeTensors.Tensor(shape: [20, 2], values: [Float](repeating: 0, count: 40)) }),
            (["layer.1.b_hn", "F64", "F32"], { $0["layer.1.b_hn"] = try SafeTensors.Tensor(shape: [7], values: [Double](repeating: 0, count: 7)) }),
            (["layer.2.b"], { $0["layer.2.b"] = try SafeTensors.Tensor(shape: [4], values: [Float](repeating: .infinity, count: 4)) }),
            (["missing", "layer.5.slope"], {
                $0.metadata["cellforge.layer_count"] = "6"
                for f in ["kind": "prelu", "size": "2"] { $0.metadata["cellforge.layer.5.\(f.key)"] = f.value }
            }),
            (["layer_count", "\"two\"", "integer"], { $0.metadata["cellforge.layer_count"] = "two" }),
            (["cellforge.layer.2.hidden_size"], { $0.metadata["cellforge.layer.2.hidden_size"] = nil }),
            (["unexpected entry", "cellforge.extra"], { $0.metadata["cellforge.extra"] = "1" }),
            (["version", "\"3\"", "1 and 2"], { $0.metadata["cellforge.model"] = "3" }),
            (["not a CellForge model file", "PyTorchModelWeights"], { $0.metadata["cellforge.model"] = nil }),
            (["cellforge.layer.4.constant"], { $0.metadata["cellforge.layer.4.kind"] = "leaky_relu" }),
            (["cellforge.layer.4.constant", "\"x\"", "finite number"], {
                $0.metadata["cellforge.layer.4.kind"] = "elu"
                $0.metadata["cellforge.layer.4.constant"] = "x"
            }),
            (["unexpected entry", "cellforge.head.activation"], { $0.metadata["cellforge.head.activation"] = "tanh" }),
            (["layer count", "-1"], { $0.metadata["cellforge.layer_count"] = "-1" }),
        ]
        for (parts, edit) in bad { ModelIOTestSupport.expectError(parts) { try load(edit) } }
    }

    /// Every layer kind, constants included, round-trips exactly; tensors are named by layer.
    @Test func everyLayerKindRoundTrips() throws {
        let a = { (kind: ActivationKind, size: Int) in LayerShape.activation(try! ActivationLayerShape(kind: kind, size: size)) }
        let architecture = try ModelArchitecture(layers: [
            .dense(DenseLayerShape(inputSize: 2, outputSize: 3)), a(.leakyReLU(slope: 0.1), 3), a(.prelu, 3),
            .recurrent(RecurrentLayerShape(kind: .gru, hiddenSize: 4, inputSize: 3)), a(.elu(alpha: 1.0 / 3), 4), a(.relu, 4),
            a(.identity, 4), a(.softmax, 4), a(.tanh, 4), a(.sigmoid, 4),
        ])
        let model = try ModelFile(parameters: ModelParameters<Double>.random(architecture, seed: 4))
        let again = try ModelFile<Double>(SafeTensors(data: model.safeTensors.serialized()))
        #expect(again == model)
        #expect(again.parameters.architecture == architecture)
        #expect(model.safeTensors.names == ["layer.0.bias", "layer.0.weight", "layer.2.slope",
                                            "layer.3.U", "layer.3.W", "layer.3.b", "layer.3.b_hn"])
        #expect(model.safeTensors.metadata["cellforge.layer.4.constant"] == String(1.0 / 3))
    }

    @Test func headlessModelsRoundTrip() throws {
        let model = try ModelFile(parameters: ModelParameters<Double>.random(ModelArchitecture(kind: .gru, inputSize: 2, hiddenSizes: [3]), seed: 2))
        #expect(try ModelFile<Double>(model.safeTensors) == model)
        #expect(model.safeTensors.names == ["layer.0.U", "layer.0.W", "layer.0.b", "layer.0.b_hn"])
    }

    @Test func reservedMetadataAndNonFiniteParametersAreRefused() throws {
        let p = try ModelParameters<Float>.random(Self.architecture(), seed: 1)
        ModelIOTestSupport.expectError(["cellforge.scalar", "reserved"]) { _ = try ModelFile(parameters: p, metadata: ["cellforge.scalar": "x"]) }
        var q = p
        q.layers[3].values[3] = .nan
        ModelIOTestSupport.expectError(["layer.3.weight"]) { _ = try ModelFile(parameters: q) }
    }
}
