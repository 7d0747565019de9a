import CellForge
import CellForgeExamples
import CellForgeKernels
import Foundation

// cellforge-train: with --input and --target, trains a model on a signal pair (an amp
// capture's DI and amp recordings, or .npy arrays) and exports it (`DataMode`; --help there).
// Without them, trains a generated H8 D8 kernel (LSTM by default) on next-step prediction of
// noisy sine waves with the Dispatch-parallel batch driver and prints the loss epoch by epoch.
//
//   swift run -c release cellforge-train --input di.wav --target amp.wav --model lstm:1x16 --export amp.nam
//   swift run -c release cellforge-train [--cell lstm|gru|rnn] [--epochs N] [--workers N]
//   swift run -c release cellforge-train --benchmark [--workers N]   (throughput, 1 and N workers)

if CommandLine.arguments.contains("--input") || CommandLine.arguments.contains("--target") {
    exit(DataMode.run(Array(CommandLine.arguments.dropFirst())))
}

let usage = """
    usage: cellforge-train [--cell lstm|gru|rnn] [--epochs N] [--workers N] [--benchmark]
           cellforge-train --input DRY --target WET [options]   (train on your data: see below)

    Trains a generated H8 D8 Float kernel on next-step prediction of noisy sine waves
    (1024 sequences of 24–48 steps, batches of 64, Adam, gradient clipping) with the
    batch driver, printing the loss each epoch.

      --cell C       lstm (default), gru or rnn
      --epochs N     passes over the training set (default 30)
      --workers N    driver threads, 1…\(BatchDriver<LSTM_H8_D8_Float>.maximumWorkerCount) (default: the active cores)
      --benchmark    measure training and inference throughput instead (N = 256, T = 64),
                     with 1 worker and with --workers workers
      --help         show this help
    """

/// Prints `message` on stderr and exits with status 2 (bad arguments).
func fail(_ message: String) -> Never {
    FileHandle.standardError.write("cellforge-train: \(message)\n".data(using: .utf8)!)
    exit(2)
}

var configuration = SineTraining.Configuration()
var benchmark = false
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    func value() -> Int {
        guard let text = arguments.popFirst(), let n = Int(text), n >= 1 else { fail("\(flag) needs a positive integer") }
        return n
    }
    switch flag {
    case "--cell":
        guard let text = arguments.popFirst(), let cell = CellKind(rawValue: text), cell != .rnnReLU else { fail("--cell needs lstm, gru or rnn") }
        configuration.cell = cell
    case "--epochs": configuration.epochs = value()
    case "--workers": configuration.workerCount = value()
    case "--benchmark": benchmark = true
    case "--help", "-h":
        print(usage + "\n\n" + DataOptions.usage)
        exit(0)
    default: fail((flag.hasPrefix("-") ? "unknown option '\(flag)'" : "unexpected argument '\(flag)'") + "; see --help")
    }
}

do {
    if benchmark {
        try ThroughputBenchmark.run(workers: configuration.workerCount)
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
