import CellForge
import Foundation
import Testing

/// Checkpoint files: exact round trips for every cell, scalar and optimizer, the file
/// layout, everything loading refuses (naming the tensor and both shapes), and atomic saves.
@Suite struct CheckpointTests {
    typealias Tensor = SafeTensors.Tensor

    /// A checkpoint with random parameters and optimizer state (second moments ≥ 0) and some metadata.
    static func sample<S: CellScalar>(_ kind: CellKind, optimizer: String, hidden H: Int = 3, input D: Int = 2,
                                      stepCount: Int = 7, as _: S.Type = S.self) throws -> Checkpoint<S> {
        func random(_ seed: UInt64) throws -> CellParameters<S> {
            try CellParameters<S>.random(kind: kind, hiddenSize: H, inputSize: D, seed: seed)
        }
        var v = try random(3)
        v.values = v.values.map { $0.magnitude }
        let state: OptimizerCheckpoint<S> = switch optimizer {
        case "momentum": .momentum(velocity: try random(2))
        case "adam": .adam(stepCount: stepCount, firstMoment: try random(2), secondMoment: v)
        default: .none
        }
        return try Checkpoint(parameters: try random(1), optimizer: state, metadata: ["run": "sine", "epoch": "3"])
    }

    @Test(arguments: CellKind.allCases, ["none", "momentum", "adam"])
    func saveThenLoadGivesTheSameCheckpoint(_ kind: CellKind, _ optimizer: String) throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try roundTrip(Self.sample(kind, optimizer: optimizer, as: Float.self), folder)
        try roundTrip(Self.sample(kind, optimizer: optimizer, as: Double.self), folder)
    }

    func roundTrip<S: CellScalar>(_ checkpoint: Checkpoint<S>, _ folder: URL) throws {
        let url = folder.appendingPathComponent("\(S.typeName).safetensors")
        try checkpoint.save(to: url)
        let p = checkpoint.parameters
        let loaded = try Checkpoint.load(from: url, kind: p.kind, hiddenSize: p.hiddenSize, inputSize: p.inputSize, as: S.self)
        #expect(loaded == checkpoint)
        #expect(try loaded.safeTensors.serialized() == Data(contentsOf: url), "bit for bit")
        #expect(loaded.metadata == ["run": "sine", "epoch": "3"])
    }

    @Test func fileLayout() throws {
        let file = try Self.sample(.gru, optimizer: "adam", hidden: 3, input: 2, as: Double.self).safeTensors
        let names = ["W", "U", "b", "b_hn"]
        #expect(file.names == (names + names.map { "adam.m." + $0 } + names.map { "adam.v." + $0 }).sorted())
        for prefix in ["", "adam.m.", "adam.v."] {
            #expect(file[prefix + "W"]?.shape == [9, 2] && file[prefix + "U"]?.shape == [9, 3])
            #expect(file[prefix + "b"]?.shape == [9] && file[prefix + "b_hn"]?.shape == [3])
        }
        #expect(file.tensors.values.allSatisfy { $0.dtype == .f64 })
        #expect(file.metadata.keys.filter { $0.hasPrefix(ModelIOTestSupport.checksumPrefix) }.sorted()
                == file.names.map { ModelIOTestSupport.checksumPrefix + $0 })
        #expect(ModelIOTestSupport.withoutChecksums(file).metadata == ["cellforge.checkpoint": "1", "cellforge.cell": "gru", "cellforge.hidden_size": "3",
                                  "cellforge.input_size": "2", "cellforge.scalar": "Double", "cellforge.optimizer": "adam",
                                  "cellforge.adam.step_count": "7", "run": "sine", "epoch": "3"])
        let momentum = try Self.sample(.lstm, optimizer: "momentum", as: Float.self).safeTensors
        #expect(momentum.names == ["U", "W", "b", "momentum.velocity.U", "momentum.velocity.W", "momentum.velocity.b"])
        #expect(momentum.metadata["cellforge.optimizer"] == "momentum" && momentum.metadata["cellforge.adam.step_count"] == nil)
    }

    /// Expects loading `file` as an LSTM H 3, D 2 checkpoint of `S` to throw a one-line
    /// `CellForgeError` containing every fragment.
    static func expectRefused<S: CellScalar>(_ file: SafeTensors, kind: CellKind = .lstm, hidden H: Int = 3, input D: Int = 2,
                                             as _: S.Type = Float.self, _ fragments: [String],
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        expectError(fragments, sourceLocation: sourceLocation) {
            _ = try Checkpoint<S>(file, kind: kind, hiddenSize: H, inputSize: D)
        }
    }

    static func expectError(_ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("accepted an invalid checkpoint", sourceLocation: sourceLocation)
        } catch let error as CellForgeError {
            let message = error.description
            #expect(!message.contains("\n"), "one line: \(message)", sourceLocation: sourceLocation)
            for f in fragments {
                #expect(message.contains(f), "\"\(message)\" should mention \(f)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("threw \(error), not a CellForgeError", sourceLocation: sourceLocation)
        }
    }

    @Test func anotherCellSizeOrScalarIsRefused() throws {
        let file = try Self.sample(.lstm, optimizer: "adam", as: Float.self).safeTensors
        Self.expectRefused(file, hidden: 4, ["checkpoint cell", "expected LSTM H 4, D 2", "got LSTM H 3, D 2"])
        Self.expectRefused(file, input: 5, ["checkpoint cell", "expected LSTM H 3, D 5", "got LSTM H 3, D 2"])
        Self.expectRefused(file, kind: .gru, ["checkpoint cell", "expected GRU H 3, D 2", "got LSTM H 3, D 2"])
        Self.expectRefused(file, as: Double.self, ["holds Float values, not Double", "load it as Float"])
        let double = try Self.sample(.lstm, optimizer: "none", as: Double.self).safeTensors
        Self.expectRefused(double, as: Float.self, ["holds Double values, not Float"])
        Self.expectRefused(file, hidden: 0, ["hidden size 0"])
        #expect(try Checkpoint<Float>(file, kind: .lstm, hiddenSize: 3, inputSize: 2) == Self.sample(.lstm, optimizer: "adam"))
    }

    @Test func missingExtraAndMisshapenTensorsAreNamed() throws {
        let valid = try Self.sample(.lstm, optimizer: "adam", as: Float.self).safeTensors
        var file = valid
        file["adam.v.U"] = nil
        Self.expectRefused(file, ["checkpoint: missing \"adam.v.U\""])
        file = valid
        file["extra"] = try Tensor(shape: [1], values: [1] as [Float])
        Self.expectRefused(file, ["unexpected \"extra\""])
        file = valid
        file["momentum.velocity.W"] = valid["adam.m.W"]
        Self.expectRefused(file, ["unexpected \"momentum.velocity.W\""])
        file = valid
        file["adam.m.W"] = try Tensor(shape: [12, 1], values: [Float](repeating: 0, count: 12))
        Self.expectRefused(file, ["checkpoint tensor adam.m.W", "expected [12, 2], got [12, 1]"])
        file = valid
        file["b"] = try Tensor(shape: [11], values: [Float](repeating: 0, count: 11))
        Self.expectRefused(file, ["checkpoint tensor b", "expected [12], got [11]"])
        file = valid
        file["U"] = try Tensor(shape: [36], values: valid["U"]!.values(as: Float.self))
        Self.expectRefused(file, ["checkpoint tensor U", "expected [12, 3], got [36]"])
        file = valid
        file["adam.v.b"] = try Tensor(shape: [12], values: valid["adam.v.b"]!.values(as: Double.self))
        Self.expectRefused(file, ["checkpoint tensor \"adam.v.b\" is F64", "Float checkpoints store F32"])
    }

    /// Edited values, in a file without checksums (as written before them), so each edit
    /// reaches the value check it targets rather than the checksum.
    @Test func invalidValuesAreNamed() throws {
        let valid = try ModelIOTestSupport.withoutChecksums(Self.sample(.gru, optimizer: "adam", as: Float.self).safeTensors)
        func with(_ name: String, _ k: Int, _ x: Float) -> SafeTensors {
            var file = valid, values = valid[name]!.values(as: Float.self)
            values[k] = x
            file[name] = try! Tensor(shape: valid[name]!.shape, values: values)
            return file
        }
        Self.expectRefused(with("adam.m.b", 4, .nan), kind: .gru, ["non-finite", "checkpoint tensor adam.m.b"])
        Self.expectRefused(with("adam.v.b_hn", 0, .infinity), kind: .gru, ["non-finite", "checkpoint tensor adam.v.b_hn"])
        Self.expectRefused(with("W", 0, -.infinity), kind: .gru, ["non-finite", "checkpoint tensor W"])
        Self.expectRefused(with("adam.v.U", 5, -0.5), kind: .gru, ["checkpoint tensor adam.v.U holds -0.5", "at least 0"])
        #expect(throws: Never.self) { try Checkpoint<Float>(with("adam.v.U", 5, -0.0), kind: .gru, hiddenSize: 3, inputSize: 2) }
    }

    @Test func metadataIsChecked() throws {
        let valid = try Self.sample(.lstm, optimizer: "adam", as: Float.self).safeTensors
        func with(_ key: String, _ value: String?) -> SafeTensors {
            var file = valid
            file.metadata[key] = value
            return file
        }
        Self.expectRefused(with("cellforge.adam.step_count", "-1"), ["invalid checkpoint Adam step count -1", "from 0 to"])
        // Issue 14, finding 2: a step count the next step cannot increment is refused on load.
        Self.expectRefused(with("cellforge.adam.step_count", "9223372036854775807"),
                           ["invalid checkpoint Adam step count 9223372036854775807", "from 0 to 9223372036854775806"])
        Self.expectRefused(with("cellforge.adam.step_count", "3.5"), ["\"cellforge.adam.step_count\" is \"3.5\", not an integer"])
        Self.expectRefused(with("cellforge.adam.step_count", nil), ["no \"cellforge.adam.step_count\" entry"])
        Self.expectRefused(with("cellforge.adam.step_count", "0"), ["checkpoint tensor adam.m.W is not zero", "step count is 0"])
        Self.expectRefused(with("cellforge.checkpoint", "2"), ["checkpoint format version \"2\" is not supported"])
        Self.expectRefused(with("cellforge.checkpoint", nil), ["not a CellForge checkpoint"])
        Self.expectRefused(with("cellforge.cell", "lstm2"), ["\"cellforge.cell\" is \"lstm2\", not lstm, rnn or gru"])
        Self.expectRefused(with("cellforge.hidden_size", "three"), ["\"cellforge.hidden_size\" is \"three\", not an integer"])
        Self.expectRefused(with("cellforge.input_size", nil), ["no \"cellforge.input_size\" entry"])
        Self.expectRefused(with("cellforge.scalar", "Half"), ["\"cellforge.scalar\" is \"Half\", not Float or Double"])
        Self.expectRefused(with("cellforge.optimizer", "rmsprop"), ["\"cellforge.optimizer\" is \"rmsprop\", not none, momentum or adam"])
        var relabelled = with("cellforge.optimizer", "momentum")
        relabelled.metadata["cellforge.adam.step_count"] = nil
        Self.expectRefused(relabelled, ["missing \"momentum.velocity.W\"", "unexpected \"adam.m.U\""])
        Self.expectRefused(with("cellforge.learning_rate", "0.1"), ["unexpected entry \"cellforge.learning_rate\""])
        let momentum = try Self.sample(.lstm, optimizer: "momentum", as: Float.self).safeTensors
        var stray = momentum
        stray.metadata["cellforge.adam.step_count"] = "3"
        Self.expectRefused(stray, ["unexpected entry \"cellforge.adam.step_count\"", "the optimizer is momentum"])
    }

    @Test func filesThatAreNotCheckpointsAreRefused() throws {
        let url = try WeightsTestSupport.fixtureWeightsURL("torch_lstm_D5_H8")
        Self.expectError(["not a CellForge checkpoint", "PyTorchWeights"]) {
            _ = try Checkpoint.load(from: url, kind: .lstm, hiddenSize: 8, inputSize: 5, as: Float.self)
        }
        Self.expectError(["cannot read", "/nonexistent-cellforge/run.safetensors"]) {
            _ = try Checkpoint.load(from: URL(fileURLWithPath: "/nonexistent-cellforge/run.safetensors"),
                                    kind: .lstm, hiddenSize: 8, inputSize: 5, as: Float.self)
        }
        Self.expectRefused(SafeTensors(), ["not a CellForge checkpoint"])
    }

    @Test func checkpointsAreValidatedWhenMade() throws {
        let p = try CellParameters<Float>.random(kind: .lstm, hiddenSize: 3, inputSize: 2, seed: 1)
        let gru = try CellParameters<Float>(kind: .gru, hiddenSize: 3, inputSize: 2)
        let wide = try CellParameters<Float>(kind: .lstm, hiddenSize: 3, inputSize: 4)
        let zero = try CellParameters<Float>(kind: .lstm, hiddenSize: 3, inputSize: 2)
        Self.expectError(["checkpoint optimizer state momentum.velocity.*", "expected LSTM H 3, D 2", "got GRU H 3, D 2"]) {
            _ = try Checkpoint(parameters: p, optimizer: .momentum(velocity: gru))
        }
        Self.expectError(["checkpoint optimizer state adam.v.*", "got LSTM H 3, D 4"]) {
            _ = try Checkpoint(parameters: p, optimizer: .adam(stepCount: 1, firstMoment: p, secondMoment: wide))
        }
        Self.expectError(["invalid checkpoint Adam step count -2"]) {
            _ = try Checkpoint(parameters: p, optimizer: .adam(stepCount: -2, firstMoment: p, secondMoment: zero))
        }
        Self.expectError(["metadata key \"cellforge.note\" is reserved"]) {
            _ = try Checkpoint(parameters: p, metadata: ["cellforge.note": "x"])
        }
        var nan = p
        nan.values[nan.bOffset + 1] = .nan
        Self.expectError(["non-finite", "checkpoint tensor b"]) { _ = try Checkpoint(parameters: nan) }
        #expect(try Checkpoint(parameters: p, optimizer: .adam(stepCount: 0, firstMoment: zero, secondMoment: zero)).optimizer.name == "adam")
    }

    @Test func failedSavesLeaveThePreviousCheckpointAndNoTemporaryFile() throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run.safetensors")
        let first = try Self.sample(.lstm, optimizer: "adam", stepCount: 3, as: Float.self)
        let second = try Self.sample(.lstm, optimizer: "adam", stepCount: 4, as: Float.self)
        try first.save(to: url)
        let before = try Data(contentsOf: url)

        // The temporary file cannot be created: the checkpoint file is used as a folder.
        Self.expectError(["cannot write", "creating"]) { try second.save(to: url.appendingPathComponent("run.safetensors")) }
        // The rename fails after the whole temporary file was written: the target is a non-empty folder.
        let occupied = folder.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        try Data([1]).write(to: occupied.appendingPathComponent("keep"))
        Self.expectError(["cannot write", "renaming"]) { try second.save(to: occupied) }

        #expect(try Data(contentsOf: url) == before, "the previous checkpoint is intact")
        #expect(try Checkpoint.load(from: url, kind: .lstm, hiddenSize: 3, inputSize: 2, as: Float.self) == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["occupied", "run.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: occupied.path) == ["keep"])

        try second.save(to: url)
        #expect(try Checkpoint.load(from: url, kind: .lstm, hiddenSize: 3, inputSize: 2, as: Float.self) == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["occupied", "run.safetensors"])
    }
}
