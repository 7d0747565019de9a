import CellForge
import CellForgeExamples
import Foundation

// cellforge-model: (1) trains LSTM(1→8) → LSTM(8→8) → Dense(8→1) on a soft clipper with memory
// (full-batch Adam with MSE through ModelDriver), then streams a fresh signal sample by sample
// through a ModelStream and prints its error; (2) imports an LSTM(1→20) + Linear(20→1) trained by
// PyTorch (Tests/Fixtures/models/train_torch_lstm20.py), streams PyTorch's test signal through a
// ModelStream and exits 1 if the outputs differ from PyTorch's by more than the stated tolerance.
//
//   swift run -c release cellforge-model [--epochs N] [--workers N] [--torch-dir DIR]

var epochs = 300, workers = 1
var torchDirectory = TorchModelStreaming.defaultDirectory
var arguments = CommandLine.arguments.dropFirst()
func usage() -> Never {
    FileHandle.standardError.write(Data("usage: cellforge-model [--epochs N] [--workers N] (positive integers) [--torch-dir DIR]\n".utf8))
    exit(2)
}
while let flag = arguments.popFirst() {
    guard let text = arguments.popFirst() else { usage() }
    switch flag {
    case "--torch-dir": torchDirectory = URL(fileURLWithPath: text)
    case "--epochs", "--workers":
        guard let n = Int(text), n >= 1 else { usage() }
        if flag == "--epochs" { epochs = n } else { workers = n }
    default: usage()
    }
}
do {
    print("training \(SignalModelTraining.architecture) for \(epochs) epochs (32 signals × 64 samples, MSE, Adam)")
    let start = DispatchTime.now().uptimeNanoseconds
    let outcome = try SignalModelTraining.run(epochs: epochs, workerCount: workers)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    for (epoch, loss) in outcome.losses.enumerated() where epoch % max(1, epochs / 10) == 0 || epoch == epochs {
        print(String(format: "epoch %4d  MSE %.6f", epoch, loss))
    }
    print(String(format: "streamed 512 fresh samples one at a time: MSE %.6f (predicting silence: %.6f); %.2f s in all",
                 outcome.streamingError, outcome.silenceError, seconds))

    let torch = try TorchModelStreaming.run(directory: torchDirectory)
    print("imported from PyTorch: \(torch.architecture)")
    print(String(format: "streamed %d samples one at a time: max |CellForge − PyTorch| %.2g (float64), %.2g (float32); "
                 + "MSE against tanh(3x) %.6f; %.0f ns per sample (median of 200 passes)",
                 torch.samples, torch.errorAgainstFloat64, torch.errorAgainstFloat32, torch.clipperError, torch.nanosecondsPerSample))
    guard torch.errorAgainstFloat64 <= TorchModelStreaming.tolerance else {
        FileHandle.standardError.write(Data("cellforge-model: CellForge's outputs differ from PyTorch's by \(torch.errorAgainstFloat64), more than \(TorchModelStreaming.tolerance)\n".utf8))
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("cellforge-model: \(error)\n".utf8))
    exit(1)
}
