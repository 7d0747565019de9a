import CellForge
import CellForgeExamples
import Foundation

// cellforge-model: trains LSTM(1→8) → LSTM(8→8) → Dense(8→1) on a soft clipper with memory
// (full-batch Adam with MSE through ModelDriver), then streams a fresh signal sample by sample
// through a ModelStream and prints its error.
//
//   swift run -c release cellforge-model [--epochs N] [--workers N]

var epochs = 300, workers = 1
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard ["--epochs", "--workers"].contains(flag), let text = arguments.popFirst(), let n = Int(text), n >= 1 else {
        FileHandle.standardError.write(Data("usage: cellforge-model [--epochs N] [--workers N] (positive integers)\n".utf8))
        exit(2)
    }
    if flag == "--epochs" { epochs = n } else { workers = n }
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
} catch {
    FileHandle.standardError.write(Data("cellforge-model: \(error)\n".utf8))
    exit(1)
}
