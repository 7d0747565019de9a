import CellForgeExamples
import Testing

/// The model example learns: after a few dozen Adam steps the training MSE has fallen well below
/// its start, and the streamed model beats predicting silence on a fresh signal.
@Suite struct SignalModelExampleTests {
    @Test func exampleTrainsAndStreams() throws {
        let outcome = try SignalModelTraining.run(epochs: 60, sequences: 8, length: 48)
        #expect(outcome.losses.last! < outcome.losses.first! / 2, "losses \(outcome.losses.first!) → \(outcome.losses.last!)")
        #expect(outcome.streamingError < outcome.silenceError / 2, "streamed \(outcome.streamingError), silence \(outcome.silenceError)")
    }
}
