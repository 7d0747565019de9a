import CellForge
import CellForgeKernels
import Foundation
import Testing

/// The "Models" example from README.md, line for line (`MyKernels` stands for `GeneratedKernels`), so the
/// documented calls keep compiling and doing what the text says.
@Suite struct ReadmeModelExampleTests {
    typealias MyKernels = GeneratedKernels

    @Test func modelsExample() throws {
        let N = 4, x = (0..<(N * 32)).map { Float($0 % 7) / 7 }, y = x.map { $0 / 2 }
        let batch = try SequenceBatch(inputs: x, lengths: Array(repeating: 32, count: N), inputSize: 1)
        let xt: Float = 0.25
        let block = [Float](repeating: 0.1, count: 256)
        var outBlock = [Float](repeating: 0, count: 256)

        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)
        let p = ModelParameters<Float>.random(architecture, seed: 1)
        let driver = try ModelDriver(parameters: p, registry: MyKernels.self)   // workerCount: default all cores
        var adam = try Adam<Float>(learningRate: 0.01)
        let r = try driver.train(batch, initialStates: nil, supervision: .meanSquaredError(targets: y),
                                 optimizer: &adam, clipping: try GradientClipping(maxNorm: 1))
        var states = [Float](repeating: 0, count: N * driver.model.stateSize)
        let out = try driver.infer(batch, states: &states)   // many streams at once, states carried

        let stream = try ModelStream(parameters: driver.parameters, registry: MyKernels.self)  // one per audio thread
        let yt = stream.process(xt)                                   // per sample (D = O = 1)
        stream.process(input: block, output: &outBlock, frames: 256)   // per block, any length
        stream.reset()

        // What the text claims: a step was applied, outputs have one value per step, the stream runs.
        #expect(r.applied)
        #expect(out.count == N * 32)
        #expect(yt.isFinite && outBlock.allSatisfy(\.isFinite))
        #expect(stream.currentState.allSatisfy { $0 == 0 })
    }

    /// The README's "Opening a model whose sizes come from a file" and "Model checkpoints" snippets.
    @Test func openingAndCheckpointExamples() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)
        try ModelFile(parameters: ModelParameters<Float>.random(architecture, seed: 2)).save(to: url)
        var opened: [ScalarType] = []

        func play<S: CellScalar>(_ p: ModelParameters<S>) throws {
            let stream = try ModelStream(parameters: p, registry: MyKernels.self)   // or ModelDriver
            opened.append(ScalarType(S.self))
            _ = stream
        }
        switch try AnyModelParameters(modelFileAt: url) {   // or (pyTorch: file, activation: .tanh), (rtNeuralAt: url)
        case let .float(p): try play(p)
        case let .double(p): try play(p)
        }
        #expect(opened == [.float])

        let driver = try ModelDriver(parameters: ModelParameters<Float>.random(architecture, seed: 3), registry: MyKernels.self)
        var adam = try Adam<Float>(learningRate: 0.01)
        let batch = try SequenceBatch(inputs: (0..<16).map { Float($0) / 16 }, lengths: [16], inputSize: 1)
        _ = try driver.train(batch, supervision: .meanSquaredError(targets: [Float](repeating: 0.5, count: 16)), optimizer: &adam)

        try ModelCheckpoint(driver: driver, optimizer: adam, metadata: ["epoch": "12"]).save(to: url)
        // later: a fresh driver and optimizer (same hyperparameters) continue exactly
        let checkpoint = try ModelCheckpoint.load(from: url, as: Float.self)
        let resumed = try ModelDriver(parameters: checkpoint.parameters, registry: MyKernels.self)
        var fresh = try Adam<Float>(learningRate: 0.01)
        try checkpoint.restore(into: resumed, optimizer: &fresh)

        #expect(resumed.parameters == driver.parameters)
        #expect(fresh.state == adam.state)
    }
}
