import CellForge
import CellForgeKernels
import Testing

/// Streams: per-sample and per-block processing equal the driver's batched inference bit for
/// bit (generated kernels run a sequence alone or interleaved with others with the same
/// arithmetic, and dense and activation layers are the same code), state carried and reset.
@Suite struct ModelStreamingTests {
    static let architectures = [
        try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [20], outputSize: 1),
        try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1),
        ModelTestSupport.mixedFloat,
    ]

    @Test(arguments: architectures) func sampleEqualsBlockEqualsBatch(_ architecture: ModelArchitecture) throws {
        let (N, T) = (3, 50)
        let c = try ModelTestSupport.randomCase(architecture, lengths: Array(repeating: T, count: N), seed: 21, as: Float.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2, sequencesPerChunk: 1)
        var states = [Float](repeating: 0, count: N * driver.model.stateSize)
        let batchOutputs = try driver.infer(c.batch, states: &states)
        for n in 0..<N {
            let x = Array(c.batch.inputs[(n * T)..<((n + 1) * T)])
            let expected = batchOutputs[(n * T)..<((n + 1) * T)].map(\.bitPattern)
            let expectedState = states[(n * driver.model.stateSize)..<((n + 1) * driver.model.stateSize)].map(\.bitPattern)

            let stream = try ModelStream(parameters: c.parameters, registry: GeneratedKernels.self, maximumBlock: 16)
            let perSample = x.map { stream.process($0) }
            #expect(perSample.map(\.bitPattern) == expected)
            #expect(stream.currentState.map(\.bitPattern) == expectedState)

            stream.reset()
            var perBlock = [Float](repeating: .nan, count: T)
            var at = 0
            for size in [7, 1, 13, 29] {  // 29 > maximumBlock: run in two pieces
                x.withUnsafeBufferPointer { xs in
                    perBlock.withUnsafeMutableBufferPointer { ys in
                        stream.process(input: xs.baseAddress! + at, output: ys.baseAddress! + at, frames: size)
                    }
                }
                at += size
            }
            #expect(perBlock.map(\.bitPattern) == expected)
            #expect(stream.currentState.map(\.bitPattern) == expectedState)
        }
    }

    /// Inference over a batch carries each stream's state: feeding blocks equals feeding the whole.
    @Test func batchInferenceCarriesState() throws {
        let architecture = Self.architectures[1]
        let c = try ModelTestSupport.randomCase(architecture, lengths: [12, 12, 12, 12], seed: 22, as: Float.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2, sequencesPerChunk: 1)
        var whole = c.states
        let expected = try driver.infer(c.batch, states: &whole)
        var states = c.states
        var pieces: [[Float]] = Array(repeating: [], count: 4)
        for (from, to) in [(0, 5), (5, 5), (5, 12)] {
            var x: [Float] = []
            for n in 0..<4 { x += c.batch.inputs[(n * 12 + from)..<(n * 12 + to)] }
            let y = try driver.infer(try SequenceBatch(inputs: x, lengths: Array(repeating: to - from, count: 4), inputSize: 1),
                                     states: &states)
            for n in 0..<4 { pieces[n] += y[(n * (to - from))..<((n + 1) * (to - from))] }
        }
        #expect(pieces.flatMap { $0 }.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(states.map(\.bitPattern) == whole.map(\.bitPattern))
    }
}
