import CellForge
import CellForgeKernels
import CellForgeTestSupport
import Testing

/// As for `ModelDriver`: `BatchDriver.infer` runs long sequences in segments with the state
/// carried, so its memory does not grow with their length, with the results of one kernel call.
@Suite struct LongSequenceBatchInferenceTests {
    /// Sequences of several segments (256 steps each), three of one length run interleaved and a
    /// shorter one, against the kernel called once per whole sequence: outputs and final states.
    @Test func segmentsEqualOneKernelCall() throws {
        let kernel = LSTM_H8_D8_Float()
        let (H, D, S) = (kernel.hiddenSize, kernel.inputSize, kernel.stateSize)
        let lengths = [700, 700, 700, 300]
        let p = try CellParameters<Float>.random(kind: .lstm, hiddenSize: H, inputSize: D, seed: 5)
        var rng = SplitMix64(seed: 6)
        let batch = try SequenceBatch(inputs: (0..<(lengths.reduce(0, +) * D)).map { _ in rng.nextSigned(Float.self) },
                                      lengths: lengths, inputSize: D)
        let initial = (0..<(lengths.count * S)).map { _ in rng.nextSigned(Float.self) }
        var states = initial
        let outputs = try BatchDriver(kernel: kernel, parameters: p, workerCount: 2, sequencesPerChunk: 3)
            .infer(batch, states: &states)

        var storage = [Float](repeating: 0, count: kernel.parameterStorageCount)
        storage.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }
        for (n, length) in lengths.enumerated() {
            var state = Array(initial[(n * S)..<((n + 1) * S)])
            var y = [Float](repeating: .nan, count: length * H)
            var tape = [Float](repeating: 0, count: kernel.tapeCount(length: length))
            let x = Array(batch.inputs[(batch.stepOffsets[n] * D)..<((batch.stepOffsets[n] + length) * D)])
            kernel.forward(parameters: storage, input: x, length: length, state: &state, output: &y, tape: &tape)
            let first = batch.stepOffsets[n] * H
            #expect(y.map(\.bitPattern) == outputs[first..<(first + length * H)].map(\.bitPattern))
            #expect(state.map(\.bitPattern) == states[(n * S)..<((n + 1) * S)].map(\.bitPattern))
        }
    }

    /// Peak memory of inferring one sequence of 10⁵ steps (in a child process) exceeds that of
    /// 10³ steps by at most the caller's own inputs and outputs (36 bytes a step) and 16 MiB; with
    /// a tape for every step it took about 120 MB more.
    @Test func memoryDoesNotGrowWithLength() throws {
        let (short, long) = (try InferenceProbe.peakKiB("batch", steps: 1000), try InferenceProbe.peakKiB("batch", steps: 100_000))
        #expect(long - short <= 100_000 * 36 / 1024 + 16 * 1024, "peak \(long) KiB at 10⁵ steps, \(short) KiB at 10³")
    }
}
