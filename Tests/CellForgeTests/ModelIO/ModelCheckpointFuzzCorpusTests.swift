import CellForge
import Foundation
import Testing

/// The seeds Fuzz/make-corpus.py writes for the `model-checkpoint` target, and the checksummed
/// and invalid seeds of the `model` target, hold what their names say.
@Suite struct ModelCheckpointFuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Fuzz/corpus").standardized

    static func file(_ path: String) throws -> SafeTensors {
        try SafeTensors(contentsOf: corpus.appendingPathComponent(path))
    }

    @Test func validCheckpointSeedsLoad() throws {
        let adam = try ModelCheckpoint<Float>(Self.file("model-checkpoint/valid-lstm-head-adam-float.safetensors"))
        guard case let .adam(stepCount, _, _) = adam.optimizer else { Issue.record("not Adam: \(adam.optimizer.name)"); return }
        #expect(stepCount == 4)
        #expect(adam.parameters.architecture == (try ModelArchitecture(kind: .lstm, inputSize: 2, hiddenSizes: [3], outputSize: 1)))
        let momentum = try ModelCheckpoint<Double>(Self.file("model-checkpoint/valid-gru-momentum-double.safetensors"))
        #expect(momentum.optimizer.name == "momentum" && momentum.parameters.architecture.layers.count == 2)
        let plain = try Self.file("model-checkpoint/valid-rnn-none-float-no-checksums.safetensors")
        #expect(!plain.metadata.keys.contains { $0.hasPrefix("cellforge.crc32c.") })
        #expect(try ModelCheckpoint<Float>(plain).optimizer == .none)
    }

    @Test func checksummedModelSeedLoadsLikeTheUnchecksummedOne() throws {
        let checked = try Self.file("model/valid-lstm2-head-float-checksummed.safetensors")
        #expect(checked.metadata.keys.filter { $0.hasPrefix("cellforge.crc32c.") }.count == checked.names.count)
        #expect(try ModelFile<Float>(checked) == ModelFile<Float>(Self.file("model/valid-lstm2-head-float.safetensors")))
    }

    @Test func invalidSeedsAreRefusedForTheirReason() throws {
        for folder in ["model", "model-checkpoint"] {
            let load: (SafeTensors) throws -> Void = folder == "model"
                ? { _ = try AnyModelFile($0) } : { _ = try ModelCheckpoint<Float>($0) }
            ModelIOTestSupport.expectError(["is corrupted"]) { try load(Self.file("\(folder)/invalid-checksum-mismatch.safetensors")) }
            ModelIOTestSupport.expectError(["missing \"layer.0.W\""]) {
                try load(Self.file("\(folder)/invalid-huge-declared-layers.safetensors"))
            }
        }
        #expect(throws: CellForgeError.self) { try Self.file("model-checkpoint/invalid-truncated.safetensors") }
    }
}
