import CellForge
import CellForgeKernels
import Testing

/// Size arguments are checked when a driver is made, with one-line errors, so no later call
/// can overflow on them; chunk counts never overflow, whatever the batch size.
@Suite struct SizeArgumentTests {
    let kernel = LSTM_H8_D8_Float()
    let parameters = try! CellParameters<Float>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 1)

    @Test func sequencesPerChunkAboveTheLimitIsRefused() {
        for value in [Int.max, 1 << 20 + 1] {
            #expect(throws: CellForgeError.invalidSize(name: "sequences per chunk", value: value, allowed: "between 1 and 1048576")) {
                try BatchDriver(kernel: kernel, parameters: parameters, sequencesPerChunk: value)
            }
        }
    }

    @Test func theLargestSequencesPerChunkRuns() throws {
        #expect(BatchDriver<LSTM_H8_D8_Float>.maximumSequencesPerChunk == 1 << 20)
        let driver = try BatchDriver(kernel: kernel, parameters: parameters, workerCount: 2, sequencesPerChunk: 1 << 20)
        let batch = try SequenceBatch<Float>(inputs: Array(repeating: 0.1, count: 5 * 8), lengths: [2, 3], inputSize: 8)
        var states = [Float](repeating: 0, count: 2 * kernel.stateSize)
        #expect(try driver.infer(batch, states: &states).count == 5 * 8)
        #expect(driver.chunkCount(sequences: Int.max) == Int.max / (1 << 20) + 1)
    }

    @Test func chunkCountDoesNotOverflow() throws {
        let driver = try BatchDriver(kernel: kernel, parameters: parameters, workerCount: 1)
        #expect(driver.chunkCount(sequences: Int.max) == Int.max / 12 + 1)
        #expect(driver.chunkCount(sequences: 0) == 0)
        #expect(driver.chunkCount(sequences: 12) == 1)
        #expect(driver.chunkCount(sequences: 13) == 2)
    }
}
