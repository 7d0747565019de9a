import CellForge
import CellForgeExamples
import Testing

/// The training example (`cellforge-train`), run small: each cell's generated H8 D8
/// kernel learns next-step prediction of noisy sine waves well past the memoryless
/// baseline (measured after 20 epochs: LSTM 0.0042, GRU 0.0023, RNN 0.0025).
@Suite struct TrainingExampleTests {
    @Test(arguments: [CellKind.lstm, .gru, .rnn]) func lossFallsBelowThreshold(_ cell: CellKind) throws {
        var c = SineTraining.Configuration()
        c.cell = cell
        c.sequences = 64
        c.batchSize = 16
        c.lengths = 12...20
        c.epochs = 20
        c.learningRate = 0.02
        c.workerCount = 2
        let baseline = try SineTraining.baseline(c)
        let reports = try SineTraining.run(c)
        let losses = reports.map(\.meanLoss)
        #expect(losses.count == 20 && reports.allSatisfy { $0.refusedSteps == 0 })
        #expect(losses.last! < 0.006, "\(cell): mean ½(h − y)² after 20 epochs: \(losses)")
        #expect(losses.last! < baseline / 3, "beats predicting x_t (\(baseline)) by 3×")
        #expect(losses.last! < losses.first! / 10, "falls tenfold from \(losses.first!)")
    }
}
