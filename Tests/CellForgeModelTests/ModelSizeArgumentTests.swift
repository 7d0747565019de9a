import CellForge
import CellForgeKernels
import Testing

/// As for `BatchDriver`: `ModelDriver` and `ModelStream` check their size arguments when made,
/// with one-line errors, so no later call can overflow or make a huge allocation.
@Suite struct ModelSizeArgumentTests {
    let parameters = ModelParameters<Float>.random(
        try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8], outputSize: 1), seed: 1)

    @Test func sequencesPerChunkAboveTheLimitIsRefused() {
        for value in [Int.max, 1 << 20 + 1] {
            #expect(throws: CellForgeError.invalidSize(name: "sequences per chunk", value: value, allowed: "between 1 and 1048576")) {
                try ModelDriver(parameters: parameters, registry: GeneratedKernels.self, sequencesPerChunk: value)
            }
        }
    }

    @Test func theLargestSequencesPerChunkRuns() throws {
        #expect(ModelDriver<Float>.maximumSequencesPerChunk == 1 << 20)
        let driver = try ModelDriver(parameters: parameters, registry: GeneratedKernels.self, workerCount: 2,
                                     sequencesPerChunk: 1 << 20)
        let batch = try SequenceBatch<Float>(inputs: Array(repeating: 0.1, count: 5), lengths: [2, 3], inputSize: 1)
        var states = [Float](repeating: 0, count: 2 * driver.model.stateSize)
        #expect(try driver.infer(batch, states: &states).count == 5)
        #expect(driver.chunkCount(sequences: Int.max) == Int.max / (1 << 20) + 1)
    }

    @Test func chunkCountDoesNotOverflow() throws {
        let driver = try ModelDriver(parameters: parameters, registry: GeneratedKernels.self, workerCount: 1)
        #expect(driver.chunkCount(sequences: Int.max) == Int.max / 12 + 1)
    }

    @Test func maximumBlockAboveTheLimitIsRefused() throws {
        for value in [Int.max, 1 << 40, 1 << 16 + 1, 0] {
            #expect(throws: CellForgeError.invalidSize(name: "maximum block", value: value, allowed: "between 1 and 65536")) {
                try ModelStream(parameters: parameters, registry: GeneratedKernels.self, maximumBlock: value)
            }
        }
    }

    @Test func theLargestMaximumBlockRuns() throws {
        #expect(ModelStream<Float>.maximumBlockLimit == 1 << 16)
        let stream = try ModelStream(parameters: parameters, registry: GeneratedKernels.self, maximumBlock: 1 << 16)
        #expect(stream.process(0.5).isFinite)
    }
}
