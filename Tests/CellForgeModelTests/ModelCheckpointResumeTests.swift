import CellForge
import CellForgeKernels
import Foundation
import Testing

/// Training resumed from a model checkpoint FILE equals training that never stopped, bit for
/// bit: `ModelCheckpoint(driver:optimizer:)` → `save(to:)` → `ModelCheckpoint.load(from:)` →
/// `restore(into:optimizer:)` on a fresh driver and a fresh Adam, with gradient clipping.
@Suite struct ModelCheckpointResumeTests {
    static let architecture = try! ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2)
    static let lengths = [6, 6, 2, 6, 0, 5, 6]

    @Test func floatResumeFromFileIsBitExact() throws { try resume(Float.self, seed: 11) }
    @Test func doubleResumeFromFileIsBitExact() throws { try resume(Double.self, seed: 12) }

    func resume<S: CellScalar>(_: S.Type, seed: UInt64) throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: Self.lengths, seed: seed, as: S.self)
        // A norm well below the first gradients' so that the steps are clipped.
        let clipping = try GradientClipping(maxNorm: 0.05)
        func steps(_ driver: ModelDriver<S>, _ adam: inout Adam<S>, _ n: Int) throws -> [UInt64] {
            try (0..<n).flatMap { _ -> [UInt64] in
                let r = try driver.train(c.batch, initialStates: c.states, supervision: .meanSquaredError(targets: c.targets),
                                         optimizer: &adam, clipping: clipping)
                #expect(r.applied)
                return [r.loss!.bitPattern, r.gradientNorm.bitPattern]
            }
        }
        func bits(_ d: ModelDriver<S>) -> [UInt64] { d.withParameterStorage { $0.map { Double($0).bitPattern } } }

        let straight = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 1)
        var adam = try Adam<S>(learningRate: 0.01)
        _ = try steps(straight, &adam, 3)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.checkpoint.safetensors")
        try ModelCheckpoint(driver: straight, optimizer: adam, metadata: ["run": "resume test"]).save(to: url)
        let straightTail = try steps(straight, &adam, 3)

        let loaded = try ModelCheckpoint.load(from: url, as: S.self)
        #expect(loaded.metadata == ["run": "resume test"])
        // Fresh driver and optimizer, started from other parameters: the checkpoint must set everything.
        let resumed = try ModelDriver(parameters: ModelParameters<S>.random(Self.architecture, seed: seed + 100),
                                      registry: GeneratedKernels.self, workerCount: 2, sequencesPerChunk: 12)
        var fresh = try Adam<S>(learningRate: 0.01)
        try loaded.restore(into: resumed, optimizer: &fresh)
        let resumedTail = try steps(resumed, &fresh, 3)

        #expect(resumedTail == straightTail)
        #expect(bits(resumed) == bits(straight))
        #expect(try fresh.modelState(resumed.model) == adam.modelState(straight.model))
    }
}
