import CellForgeExamples
import Testing

/// The model example's PyTorch import: the committed LSTM(1 → 20) + Linear(20 → 1) trained by
/// PyTorch, streamed one sample per call, reproduces PyTorch's outputs within the example's
/// stated tolerance (justified on `TorchModelStreaming.tolerance`), and still clips softly.
@Suite struct TorchModelStreamingTests {
    @Test func streamedOutputsMatchPyTorch() throws {
        let outcome = try TorchModelStreaming.run(rounds: 1)
        #expect(outcome.samples == 256)
        #expect(outcome.architecture.description == "LSTM H20 D1 → Dense 20 → 1")
        #expect(outcome.errorAgainstFloat64 <= TorchModelStreaming.tolerance, "vs float64: \(outcome.errorAgainstFloat64)")
        #expect(outcome.errorAgainstFloat32 <= TorchModelStreaming.tolerance, "vs float32: \(outcome.errorAgainstFloat32)")
        // PyTorch's own test MSE is 1.7e-3 (train_torch_lstm20.py); the same model here must be as good.
        #expect(outcome.clipperError < 2e-3, "MSE against tanh(3x): \(outcome.clipperError)")
    }
}
