import CellForge
import Foundation
import Testing

/// Whole-model checkpoints: every optimizer's state round-trips exactly and re-serialises byte
/// for byte; every inconsistent file is refused with one line naming the tensor or entry; a
/// refused save leaves the previous file as it was.
@Suite struct ModelCheckpointFileTests {
    static func architecture() throws -> ModelArchitecture {
        try ModelArchitecture(recurrent: [RecurrentLayerShape(kind: .gru, hiddenSize: 7, inputSize: 2),
                                       RecurrentLayerShape(kind: .lstm, hiddenSize: 5, inputSize: 7)],
                              head: 3, activation: .tanh)
    }

    static func checkpoints<S: CellScalar>(_: S.Type) throws -> [ModelCheckpoint<S>] {
        let arch = try architecture()
        let p = ModelParameters<S>.random(arch, seed: 1)
        let m = ModelParameters<S>.random(arch, seed: 2)
        var v = ModelParameters<S>.random(arch, seed: 3)
        for l in v.layers.indices { v.layers[l].values = v.layers[l].values.map { $0 * $0 } }
        return [try ModelCheckpoint(parameters: p, metadata: ["epoch": "3"]),
                try ModelCheckpoint(parameters: p, optimizer: .momentum(velocity: m)),
                try ModelCheckpoint(parameters: p, optimizer: .adam(stepCount: 17, firstMoment: m, secondMoment: v)),
                try ModelCheckpoint(parameters: p, optimizer: .adam(stepCount: 0, firstMoment: .init(zerosFor: arch),
                                                                     secondMoment: .init(zerosFor: arch)))]
    }

    func roundTrip<S: CellScalar>(_: S.Type, in folder: URL) throws {
        for (k, checkpoint) in try Self.checkpoints(S.self).enumerated() {
            let url = folder.appendingPathComponent("checkpoint-\(S.typeName)-\(k).safetensors")
            try checkpoint.save(to: url)
            let bytes = try Data(contentsOf: url)
            let loaded = try ModelCheckpoint<S>.load(from: url)
            #expect(loaded == checkpoint, "\(S.typeName) \(checkpoint.optimizer.name)")
            #expect(try loaded.safeTensors().serialized() == bytes, "byte-identical re-serialisation")
            #expect(try ModelFileHeader(contentsOf: url, kind: .checkpoint).architecture == (try Self.architecture()))
        }
    }

    @Test func everyOptimizerStateRoundTripsExactly() throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try roundTrip(Float.self, in: folder)
        try roundTrip(Double.self, in: folder)
    }

    /// Checkpoint `index` with `edit` applied, loaded without its tensor checksums (as a file
    /// written before them), so that an edited tensor reaches the check the edit targets.
    func load(_ index: Int, _ edit: (inout SafeTensors) throws -> Void) throws {
        var file = try ModelIOTestSupport.withoutChecksums(Self.checkpoints(Double.self)[index].safeTensors())
        try edit(&file)
        _ = try ModelCheckpoint<Double>(file)
    }

    @Test func inconsistentCheckpointsAreRefused() throws {
        func tensor(_ shape: [Int], _ value: Double) throws -> SafeTensors.Tensor {
            try SafeTensors.Tensor(shape: shape, values: [Double](repeating: value, count: shape.reduce(1, *)))
        }
        let adam = 2, momentum = 1, none = 0
        let bad: [([String], Int, (inout SafeTensors) throws -> Void)] = [
            (["step count", "-1"], adam, { $0.metadata["cellforge.adam.step_count"] = "-1" }),
            (["step count", "\(Int.max)"], adam, { $0.metadata["cellforge.adam.step_count"] = String(Int.max) }),
            (["cellforge.adam.step_count", "\"1.5\"", "integer"], adam, { $0.metadata["cellforge.adam.step_count"] = "1.5" }),
            (["cellforge.adam.step_count", "missing"], adam, { $0.metadata["cellforge.adam.step_count"] = nil }),
            (["adam.v.layer.1.U", "at least 0"], adam, { $0["adam.v.layer.1.U"] = try tensor([20, 5], -1e-9) }),
            (["adam.m.layer.2.bias"], adam, { $0["adam.m.layer.2.bias"] = try tensor([3], .nan) }),
            (["adam.m.layer.0.W", "not zero", "step count is 0"], 3, { $0["adam.m.layer.0.W"] = try tensor([21, 2], 1e-3) }),
            (["missing", "adam.v.layer.0.b_hn"], adam, { $0["adam.v.layer.0.b_hn"] = nil }),
            (["unexpected", "momentum.velocity.layer.0.W"], adam, { $0["momentum.velocity.layer.0.W"] = $0["adam.m.layer.0.W"] }),
            (["momentum.velocity.layer.2.weight", "[3, 5]", "[3, 4]"], momentum, { $0["momentum.velocity.layer.2.weight"] = try tensor([3, 4], 0) }),
            (["momentum.velocity.layer.1.b", "F32", "F64"], momentum, {
                $0["momentum.velocity.layer.1.b"] = try SafeTensors.Tensor(shape: [20], values: [Float](repeating: 0, count: 20))
            }),
            (["\"rmsprop\"", "none, momentum or adam"], momentum, { $0.metadata["cellforge.optimizer"] = "rmsprop" }),
            (["unexpected entry", "cellforge.adam.step_count"], momentum, { $0.metadata["cellforge.adam.step_count"] = "3" }),
            (["layer.1.W"], none, { $0["layer.1.W"] = try tensor([20, 7], .infinity) }),
            (["layer 1 (recurrent) input size", "expected 7"], none, { $0.metadata["cellforge.layer.1.input_size"] = "6" }),
            (["not a CellForge model checkpoint", "it is a model file"], none, { $0.metadata["cellforge.model_checkpoint"] = nil; $0.metadata["cellforge.model"] = "1" }),
        ]
        for (parts, index, edit) in bad { ModelIOTestSupport.expectError(parts) { try load(index, edit) } }
        ModelIOTestSupport.expectError(["not a CellForge model file", "it is a model checkpoint"]) {
            _ = try ModelFile<Double>(try Self.checkpoints(Double.self)[1].safeTensors())
        }
        ModelIOTestSupport.expectError(["Double values, not Float", "not converted"]) {
            _ = try ModelCheckpoint<Float>(try Self.checkpoints(Double.self)[0].safeTensors())
        }
    }

    @Test func refusedSaveLeavesThePreviousFile() throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run.safetensors")
        let good = try Self.checkpoints(Float.self)[2]
        try good.save(to: url)
        let before = try Data(contentsOf: url)
        var p = good.parameters
        p.layers[1].values[0] = .nan
        let bad = try ModelCheckpoint(parameters: p, optimizer: good.optimizer)
        ModelIOTestSupport.expectError(["layer.1.W"]) { try bad.save(to: url) }
        #expect(try Data(contentsOf: url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["run.safetensors"])
    }
}
