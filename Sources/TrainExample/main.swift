import CellForge
import CellForgeExamples
import Foundation

// cellforge-train: trains a generated H8 D8 kernel (LSTM by default) on next-step
// prediction of noisy sine waves with the Dispatch-parallel batch driver and prints
// the loss epoch by epoch.
//
//   swift run -c release cellforge-train [--cell lstm|gru|rnn] [--epochs N] [--workers N]
//   swift run -c release cellforge-train --benchmark [--workers N]   (training throughput)

var configuration = SineTraining.Configuration()
var benchmark = false
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    func value() -> Int {
        guard let text = arguments.popFirst(), let n = Int(text), n >= 1 else {
            FileHandle.standardError.write("cellforge-train: \(flag) needs a positive integer\n".data(using: .utf8)!)
            exit(2)
        }
        return n
    }
    switch flag {
    case "--cell":
        guard let text = arguments.popFirst(), let cell = CellKind(rawValue: text) else {
            FileHandle.standardError.write("cellforge-train: --cell needs lstm, gru or rnn\n".data(using: .utf8)!)
            exit(2)
        }
        configuration.cell = cell
    case "--epochs": configuration.epochs = value()
    case "--workers": configuration.workerCount = value()
    case "--benchmark": benchmark = true
    default:
        FileHandle.standardError.write("usage: cellforge-train [--cell lstm|gru|rnn] [--epochs N] [--workers N] [--benchmark]\n".data(using: .utf8)!)
        exit(2)
    }
}

do {
    if benchmark {
        try ThroughputBenchmark.run()
        exit(0)
    }
    let c = configuration
    print("\(c.cell.displayName) H8 D8, noisy sine next-step prediction: \(c.sequences) sequences of \(c.lengths.lowerBound)–\(c.lengths.upperBound) steps, "
          + "batches of \(c.batchSize), Adam λ \(c.learningRate), clip \(c.maxGradientNorm), \(c.workerCount) workers")
    print(String(format: "memoryless baseline (predict x_t): loss %.5f", try SineTraining.baseline(c)))
    try SineTraining.run(c) { r in
        let done = r.epoch * 20 / c.epochs
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: 20 - done)
        let refused = r.refusedSteps > 0 ? "  (\(r.refusedSteps) steps refused)" : ""
        print(String(format: "epoch %3d/%d  ", r.epoch, c.epochs) + "[\(bar)]"
              + String(format: "  loss %.5f  %6.2f s", r.meanLoss, r.elapsed) + refused)
    }
} catch {
    FileHandle.standardError.write("cellforge-train: \(error)\n".data(using: .utf8)!)
    exit(1)
}
