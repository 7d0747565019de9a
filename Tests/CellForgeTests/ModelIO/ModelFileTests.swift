import CellForge
import Foundation
import Testing

/// CellForge model files: save and load give back the same bits, re-serialise byte for byte,
/// the header alone tells the architecture and scalar, and every inconsistent file is refused
/// with one line naming the layer and tensor or entry.
@Suite struct ModelFileTests {
    static func architecture() throws -> ModelArchitecture {
        try ModelArchitecture(layers: [RecurrentLayerShape(kind: .lstm, hiddenSize: 5, inputSize: 3),
                                       RecurrentLayerShape(kind: .gru, hiddenSize: 7, inputSize: 5),
                                       RecurrentLayerShape(kind: .rnn, hiddenSize: 4, inputSize: 7)],
                              head: DenseHeadShape(inputSize: 4, outputSize: 2, activation: .sigmoid))
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
            (["layer 1 input size", "expected 5", "got 6"], { $0.metadata["cellforge.layer.1.input_size"] = "6" }),
            (["layer 1", "\"conv1d\"", "lacks"], { $0.metadata["cellforge.layer.1.cell"] = "conv1d" }),
            (["head input size", "expected 4", "got 3"], { $0.metadata["cellforge.head.input_size"] = "3" }),
            (["head.V", "[3, 4]", "[2, 4]"], { $0.metadata["cellforge.head.output_size"] = "3" }),
            (["missing", "layer.2.U"], { $0["layer.2.U"] = nil }),
            (["unexpected", "layer.3.W"], { $0["layer.3.W"] = $0["layer.2.W"] }),
            (["layer.0.W", "[20, 3]", "[20, 2]"], { $0["layer.0.W"] = try SafeTensors.Tensor(shape: [20, 2], values: [Float](repeating: 0, count: 40)) }),
            (["layer.1.b_hn", "F64", "F32"], { $0["layer.1.b_hn"] = try SafeTensors.Tensor(shape: [7], values: [Double](repeating: 0, count: 7)) }),
            (["layer.2.b"], { $0["layer.2.b"] = try SafeTensors.Tensor(shape: [4], values: [Float](repeating: .infinity, count: 4)) }),
            (["missing", "layer.3.W", "layer.3.U"], {
                $0.metadata["cellforge.layer_count"] = "4"
                for f in ["cell": "rnn", "hidden_size": "4", "input_size": "4"] { $0.metadata["cellforge.layer.3.\(f.key)"] = f.value }
                $0.metadata["cellforge.head.input_size"] = "4"
            }),
            (["layer_count", "\"two\"", "integer"], { $0.metadata["cellforge.layer_count"] = "two" }),
            (["cellforge.layer.2.hidden_size"], { $0.metadata["cellforge.layer.2.hidden_size"] = nil }),
            (["unexpected entry", "cellforge.extra"], { $0.metadata["cellforge.extra"] = "1" }),
            (["version", "\"2\""], { $0.metadata["cellforge.model"] = "2" }),
            (["not a CellForge model file", "PyTorchModelWeights"], { $0.metadata["cellforge.model"] = nil }),
            (["head activation", "\"relu\""], { $0.metadata["cellforge.head.activation"] = "relu" }),
            (["layer count", "-1"], { $0.metadata["cellforge.layer_count"] = "-1" }),
        ]
        for (parts, edit) in bad { ModelIOTestSupport.expectError(parts) { try load(edit) } }
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
        q.head!.values[3] = .nan
        ModelIOTestSupport.expectError(["head.V"]) { _ = try ModelFile(parameters: q) }
    }
}
