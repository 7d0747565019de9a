import CellForge
import CellForgeKernels
import Testing

/// Inference keeps state between calls: feeding sequences in pieces gives, bit for
/// bit, the outputs and final states of feeding them whole.
@Suite struct StreamingInferenceTests {
    @Test(arguments: [1, 2])
    func piecesEqualWhole(workers: Int) throws {
        let lengths = [10, 7, 12]
        let c = try DriverTestSupport.randomCase(.lstm, hidden: 8, input: 8, lengths: lengths, seed: 12, as: Float.self)
        let driver = try BatchDriver(kernel: LSTM_H8_D8_Float(), parameters: c.parameters, workerCount: workers,
                                     sequencesPerChunk: 1)
        var whole = c.initialStates
        let expected = try driver.infer(c.batch, states: &whole)

        // Cut each sequence at its own points (a 0-step piece included) and feed the pieces in turn.
        let cuts = [[0, 4, 4, 10], [0, 1, 6, 7], [0, 0, 9, 12]]
        var states = c.initialStates
        var outputs: [[Float]] = Array(repeating: [], count: 3)
        var buffer: [Float] = []
        for piece in 0..<3 {
            var inputs: [Float] = [], pieceLengths: [Int] = []
            for n in 0..<3 {
                let (from, to) = (cuts[n][piece], cuts[n][piece + 1])
                let first = c.batch.stepOffsets[n]
                inputs += c.batch.inputs[((first + from) * 8)..<((first + to) * 8)]
                pieceLengths.append(to - from)
            }
            let batch = try SequenceBatch(inputs: inputs, lengths: pieceLengths, inputSize: 8)
            try driver.infer(batch, states: &states, outputs: &buffer)
            for n in 0..<3 { outputs[n] += buffer[(batch.stepOffsets[n] * 8)..<(batch.stepOffsets[n + 1] * 8)] }
        }
        #expect(outputs.flatMap { $0 }.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(states.map(\.bitPattern) == whole.map(\.bitPattern))
    }
}
