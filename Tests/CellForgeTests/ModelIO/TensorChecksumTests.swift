import CellForge
import Foundation
import Testing

/// Every CellForge writer of model files, model checkpoints and cell checkpoints stores a
/// CRC-32C per tensor (`cellforge.crc32c.NAME`), and every loader verifies it: a flipped bit
/// anywhere in the tensor data is refused naming the tensor; files without checksums (written
/// before them) still load; a malformed or stray checksum entry is refused.
@Suite struct TensorChecksumTests {
    static let prefix = ModelIOTestSupport.checksumPrefix

    static func smallModel() throws -> ModelFile<Float> {
        try ModelFile(parameters: .random(ModelArchitecture(kind: .rnn, inputSize: 2, hiddenSizes: [2], outputSize: 1), seed: 5),
                      metadata: ["run": "a"])
    }

    /// Where the data section of safetensors `bytes` starts.
    static func dataStart(_ bytes: Data) -> Int {
        8 + Int(bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    static func flipped(_ bytes: Data, bit: Int) -> Data {
        var copy = bytes
        copy[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        return copy
    }

    @Test func everyWriterStoresOneChecksumPerTensor() throws {
        let model = try Self.smallModel()
        let checkpoint = try ModelCheckpoint(parameters: model.parameters, optimizer: .momentum(velocity: model.parameters))
        for file in [model.safeTensors, try checkpoint.safeTensors()] {
            let keys = file.metadata.keys.filter { $0.hasPrefix(Self.prefix) }.sorted()
            #expect(keys == file.names.map { Self.prefix + $0 })
            #expect(keys.allSatisfy { file.metadata[$0]!.count == 8 })
        }
    }

    @Test func everySingleBitFlipInTensorDataIsRefusedNamingTheTensor() throws {
        let bytes = try Self.smallModel().safeTensors.serialized()
        let start = Self.dataStart(bytes)
        #expect(bytes.count - start == 4 * (2 * 2 + 2 * 2 + 2 + 2 + 1), "RNN H2 D2 and a head of 1 output, Float")
        var loaded: [Int] = []
        for bit in (8 * start)..<(8 * bytes.count) {
            do {
                _ = try AnyModelFile.parse(data: Self.flipped(bytes, bit: bit))
                loaded.append(bit)
            } catch let error as CellForgeError {
                let text = error.description
                #expect(text.contains("model file tensor \"") && text.contains("is corrupted: its data's CRC-32C is"), "\(text)")
            }
        }
        #expect(loaded.isEmpty, "\(loaded.count) flipped bits loaded silently, first at bit \(loaded.first ?? -1)")
    }

    /// A flipped header bit is refused, or (user metadata text) gives a visibly different file.
    @Test func everySingleBitFlipInTheHeaderIsRefusedOrChangesTheFile() throws {
        let model = try Self.smallModel()
        let bytes = try model.safeTensors.serialized()
        for bit in 0..<(8 * Self.dataStart(bytes)) {
            guard let other = try? AnyModelFile.parse(data: Self.flipped(bytes, bit: bit)) else { continue }
            #expect(other != .float(model), "header bit \(bit) flipped and the same model loaded")
        }
    }

    @Test func modelCheckpointAndCellCheckpointFileFlipsAreRefused() throws {
        let model = try Self.smallModel()
        let checkpoint = try ModelCheckpoint(parameters: model.parameters, optimizer: .momentum(velocity: model.parameters))
        let modelBytes = try checkpoint.safeTensors().serialized()
        let last = 8 * modelBytes.count - 1
        ModelIOTestSupport.expectError(["model checkpoint tensor", "is corrupted"]) {
            _ = try ModelCheckpoint<Float>(SafeTensors(data: Self.flipped(modelBytes, bit: last)))
        }
        let cell = try CellCheckpointFiles.file(CellCheckpointFiles.sample(.lstm, optimizer: "none", as: Float.self))
        let cellBytes = try cell.serialized()
        ModelIOTestSupport.expectError(["checkpoint tensor", "is corrupted"]) {
            _ = try ModelCheckpoint<Float>(SafeTensors(data: Self.flipped(cellBytes, bit: 8 * Self.dataStart(cellBytes))))
        }
    }

    @Test func filesWithoutChecksumsStillLoad() throws {
        let model = try Self.smallModel()
        #expect(try ModelFile<Float>(ModelIOTestSupport.withoutChecksums(model.safeTensors)) == model)
        let checkpoint = try ModelCheckpoint(parameters: model.parameters)
        #expect(try ModelCheckpoint<Float>(ModelIOTestSupport.withoutChecksums(checkpoint.safeTensors())) == checkpoint)
        // Written before checksums existed: the committed fuzz seeds.
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Fuzz/corpus").standardized
        let old = try SafeTensors(contentsOf: seeds.appendingPathComponent("model/valid-lstm2-head-float.safetensors"))
        #expect(!old.metadata.keys.contains { $0.hasPrefix(Self.prefix) })
        #expect(try ModelFile<Float>(old).metadata == ["name": "seed"])
        let oldCell = try SafeTensors(contentsOf: seeds.appendingPathComponent("safetensors/checkpoint-lstm-h3-d2.safetensors"))
        #expect(try ModelCheckpoint<Float>(oldCell).parameters.architecture.layers[0].outputSize == 3)
    }

    @Test func malformedStrayOrPartialChecksumEntriesAreRefused() throws {
        let good = try Self.smallModel().safeTensors
        let key = Self.prefix + "layer.0.W"
        let bad: [([String], (inout SafeTensors) -> Void)] = [
            ([key, "not 8 lower-case hexadecimal digits"], { $0.metadata[key] = $0.metadata[key]!.uppercased() }),
            ([key, "\"1234567\""], { $0.metadata[key] = "1234567" }),
            ([key, "\"+1234567\""], { $0.metadata[key] = "+1234567" }),
            (["\"cellforge.crc32c.layer.9.W\"", "a tensor the file lacks"], { $0.metadata[Self.prefix + "layer.9.W"] = "00000000" }),
            (["\"layer.0.W\"", "has no checksum entry"], { $0.metadata[key] = nil }),
            (["\"layer.0.W\"", "is corrupted"], { $0.metadata[key] = "00000000" }),
        ]
        for (parts, edit) in bad {
            var file = good
            edit(&file)
            ModelIOTestSupport.expectError(parts) { _ = try ModelFile<Float>(file) }
        }
        var cell = try CellCheckpointFiles.file(CellCheckpointFiles.sample(.lstm, optimizer: "none", as: Float.self))
        cell.metadata[Self.prefix + "extra"] = "00000000"
        ModelIOTestSupport.expectError(["checkpoint", "\"cellforge.crc32c.layer.0.extra\"", "a tensor the file lacks"]) {
            _ = try ModelCheckpoint<Float>(cell)
        }
    }
}
