import CellForge
import Foundation
import Testing

/// Cell checkpoint files (format version 1) load as the one-layer model checkpoints they are:
/// exactly, for every cell, scalar and optimizer, with everything a model checkpoint refuses
/// refused, naming the entry or tensor by its model name (`cellforge.layer.0.…`, `layer.0.…`).
@Suite struct CellCheckpointFileTests {
    typealias Tensor = SafeTensors.Tensor

    @Test(arguments: CellKind.allCases, ["none", "momentum", "adam"])
    func cellFilesLoadAsOneLayerModelCheckpoints(_ kind: CellKind, _ optimizer: String) throws {
        for checkpoint in [try CellCheckpointFiles.sample(kind, optimizer: optimizer, as: Float.self)] {
            #expect(try ModelCheckpoint<Float>(CellCheckpointFiles.file(checkpoint)) == checkpoint)
        }
        let double = try CellCheckpointFiles.sample(kind, optimizer: optimizer, as: Double.self)
        #expect(try ModelCheckpoint<Double>(CellCheckpointFiles.file(double)) == double)
        #expect(try ModelCheckpoint<Double>(ModelIOTestSupport.withoutChecksums(CellCheckpointFiles.file(double))) == double)
    }

    /// The fuzz seed written by Fuzz/make-corpus.py (Python, before checksums existed).
    @Test func thePythonWrittenCellCheckpointLoads() throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Fuzz/corpus").standardized
        let checkpoint = try ModelCheckpoint<Float>.load(from: seeds.appendingPathComponent("safetensors/checkpoint-lstm-h3-d2.safetensors"))
        #expect(checkpoint.parameters.architecture == (try ModelArchitecture(kind: .lstm, inputSize: 2, hiddenSizes: [3])))
        #expect(checkpoint.parameters.layers[0].values.allSatisfy { $0 == 0.1 })
        guard case let .adam(t, m, v) = checkpoint.optimizer else { Issue.record("not Adam: \(checkpoint.optimizer.name)"); return }
        #expect(t == 7 && m.layers[0].values.allSatisfy { $0 == 0.01 } && v.layers[0].values.allSatisfy { $0 == 0.001 })
        #expect(checkpoint.metadata.isEmpty)
    }

    static func expectRefused<S: CellScalar>(_ file: SafeTensors, as _: S.Type = Float.self, _ fragments: [String],
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        ModelIOTestSupport.expectError(fragments, sourceLocation: sourceLocation) { _ = try ModelCheckpoint<S>(file) }
    }

    @Test func anotherScalarOrABadSizeIsRefused() throws {
        let file = try CellCheckpointFiles.file(CellCheckpointFiles.sample(.lstm, optimizer: "adam", as: Float.self))
        Self.expectRefused(file, as: Double.self, ["holds Float values, not Double", "load it as Float"])
        var zero = file
        zero.metadata["cellforge.hidden_size"] = "0"
        Self.expectRefused(zero, ["layer 0", "hidden size 0"])
    }

    @Test func missingExtraAndMisshapenTensorsAreNamed() throws {
        let valid = try CellCheckpointFiles.file(CellCheckpointFiles.sample(.lstm, optimizer: "adam", as: Float.self))
        var file = valid
        file["adam.v.U"] = nil
        Self.expectRefused(file, ["missing \"adam.v.layer.0.U\""])
        file = valid
        file["extra"] = try Tensor(shape: [1], values: [1] as [Float])
        Self.expectRefused(file, ["unexpected \"layer.0.extra\""])
        file = valid
        file["adam.m.W"] = try Tensor(shape: [12, 1], values: [Float](repeating: 0, count: 12))
        Self.expectRefused(file, ["adam.m.layer.0.W", "expected [12, 2], got [12, 1]"])
        file = valid
        file["U"] = try Tensor(shape: [36], values: valid["U"]!.values(as: Float.self))
        Self.expectRefused(file, ["layer.0.U", "expected [12, 3], got [36]"])
        file = valid
        file["adam.v.b"] = try Tensor(shape: [12], values: valid["adam.v.b"]!.values(as: Double.self))
        Self.expectRefused(file, ["\"adam.v.layer.0.b\" is F64", "Float models store F32"])
    }

    @Test func invalidValuesAreNamed() throws {
        let valid = try ModelIOTestSupport.withoutChecksums(CellCheckpointFiles.file(CellCheckpointFiles.sample(.gru, optimizer: "adam", as: Float.self)))
        func with(_ name: String, _ k: Int, _ x: Float) -> SafeTensors {
            var file = valid, values = valid[name]!.values(as: Float.self)
            values[k] = x
            file[name] = try! Tensor(shape: valid[name]!.shape, values: values)
            return file
        }
        Self.expectRefused(with("adam.m.b", 4, .nan), ["non-finite", "adam.m.layer.0.b"])
        Self.expectRefused(with("W", 0, -.infinity), ["non-finite", "layer.0.W"])
        Self.expectRefused(with("adam.v.U", 5, -0.5), ["adam.v.layer.0.U holds -0.5", "at least 0"])
        #expect(throws: Never.self) { try ModelCheckpoint<Float>(with("adam.v.U", 5, -0.0)) }
    }

    @Test func metadataIsChecked() throws {
        let valid = try CellCheckpointFiles.file(CellCheckpointFiles.sample(.lstm, optimizer: "adam", as: Float.self))
        func with(_ key: String, _ value: String?) -> SafeTensors {
            var file = valid
            file.metadata[key] = value
            return file
        }
        Self.expectRefused(with("cellforge.adam.step_count", "-1"), ["Adam step count -1"])
        Self.expectRefused(with("cellforge.adam.step_count", "9223372036854775807"), ["Adam step count 9223372036854775807"])
        Self.expectRefused(with("cellforge.adam.step_count", "3.5"), ["\"cellforge.adam.step_count\" is \"3.5\", not an integer"])
        Self.expectRefused(with("cellforge.adam.step_count", nil), ["\"cellforge.adam.step_count\" is missing"])
        Self.expectRefused(with("cellforge.adam.step_count", "0"), ["adam.m.layer.0.W is not zero", "step count is 0"])
        Self.expectRefused(with("cellforge.checkpoint", "2"), ["cell checkpoint format version \"2\" is not supported"])
        Self.expectRefused(with("cellforge.cell", "lstm2"), ["layer 0 has cell \"lstm2\""])
        Self.expectRefused(with("cellforge.hidden_size", "three"), ["\"cellforge.layer.0.hidden_size\" is \"three\", not an integer"])
        Self.expectRefused(with("cellforge.input_size", nil), ["no \"cellforge.layer.0.input_size\" entry"])
        Self.expectRefused(with("cellforge.scalar", "Half"), ["\"cellforge.scalar\" is \"Half\", not Float or Double"])
        Self.expectRefused(with("cellforge.optimizer", "rmsprop"), ["\"cellforge.optimizer\" is \"rmsprop\", not none, momentum or adam"])
        var relabelled = with("cellforge.optimizer", "momentum")
        relabelled.metadata["cellforge.adam.step_count"] = nil
        Self.expectRefused(relabelled, ["missing \"momentum.velocity.layer.0.W\""])
        Self.expectRefused(with("cellforge.learning_rate", "0.1"), ["unexpected entry \"cellforge.learning_rate\""])
    }

    @Test func corruptedDataAndStrayChecksumsAreRefused() throws {
        let valid = try CellCheckpointFiles.file(CellCheckpointFiles.sample(.lstm, optimizer: "none", as: Float.self))
        var file = valid
        var values = valid["b"]!.values(as: Float.self)
        values[0] += 1
        file["b"] = try Tensor(shape: valid["b"]!.shape, values: values)
        Self.expectRefused(file, ["tensor \"layer.0.b\" is corrupted"])
        file = valid
        file.metadata["cellforge.crc32c.extra"] = "00000000"
        Self.expectRefused(file, ["\"cellforge.crc32c.layer.0.extra\"", "a tensor the file lacks"])
    }
}
