import CellForge
import CellForgeKernels
import CellForgeTestSupport
import Testing

/// `ModelDriver.infer` runs long sequences in segments with the state carried, so its memory
/// does not grow with their length, and gives what one kernel call over each whole sequence
/// gives, bit for bit.
@Suite struct LongSequenceInferenceTests {
    /// Sequences of several segments (256 steps each), three of one length run interleaved and a
    /// shorter one, against the training forward pass (one kernel call per sequence, with a tape
    /// for every step) and against a stream: outputs and final states.
    @Test func segmentsEqualOneCallAndTheStream() throws {
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [20], outputSize: 1)
        let lengths = [700, 700, 700, 300]
        let c = try ModelTestSupport.randomCase(architecture, lengths: lengths, seed: 41, as: Float.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2,
                                     sequencesPerChunk: 3)
        var states = c.states
        let outputs = try driver.infer(c.batch, states: &states)
        let whole = try ModelTestSupport.outcome(driver, c.batch, initialStates: c.states,
                                                 supervision: .meanSquaredError(targets: c.targets))
        #expect(outputs.map { Double($0).bitPattern } == whole.outputs.map(\.bitPattern))
        #expect(states.map { Double($0).bitPattern } == whole.finalStates.map(\.bitPattern))

        let S = driver.model.stateSize
        let stream = try ModelStream(parameters: c.parameters, registry: GeneratedKernels.self, maximumBlock: 500)
        for (n, length) in lengths.enumerated() {
            let first = c.batch.stepOffsets[n]
            try stream.setState(Array(c.states[(n * S)..<((n + 1) * S)]))
            var y = [Float](repeating: .nan, count: length)
            c.batch.inputs.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { stream.process(input: x.baseAddress! + first, output: $0.baseAddress!, frames: length) }
            }
            #expect(y.map(\.bitPattern) == outputs[first..<(first + length)].map(\.bitPattern))
            #expect(stream.currentState.map(\.bitPattern) == states[(n * S)..<((n + 1) * S)].map(\.bitPattern))
        }
    }

    /// Peak memory of inferring one sequence of 10⁵ steps (in a child process) exceeds that of
    /// 10³ steps by at most the caller's own inputs and outputs (8 bytes a step) and 16 MiB; with
    /// scratch for every step it took about 150 MB more.
    @Test func memoryDoesNotGrowWithLength() throws {
        let (short, long) = (try InferenceProbe.peakKiB("model", steps: 1000), try InferenceProbe.peakKiB("model", steps: 100_000))
        #expect(long - short <= 100_000 * 8 / 1024 + 16 * 1024, "peak \(long) KiB at 10⁵ steps, \(short) KiB at 10³")
    }
}
