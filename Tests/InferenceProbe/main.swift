import CellForge
import CellForgeKernels
import Foundation

// cellforge-inference-probe model|batch STEPS: infers one sequence of STEPS steps with
// `ModelDriver.infer` (LSTM 1→8, dense head 8→1) or `BatchDriver.infer` (LSTM 1→8), generated
// kernels in Float, one worker, in a fresh process; then prints "maxrss_kb <peak resident set
// in KiB>" (getrusage), so tests can check that inference memory does not grow with the
// sequence's length. Exits 1 for bad arguments, 2 for a non-finite output.

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2, ["model", "batch"].contains(arguments[0]), let steps = Int(arguments[1]), steps >= 1 else {
    FileHandle.standardError.write(Data("usage: cellforge-inference-probe model|batch STEPS (at least 1)\n".utf8))
    exit(1)
}
let batch = try SequenceBatch(inputs: (0..<steps).map { Float($0 % 64 - 32) / 32 }, lengths: [steps], inputSize: 1)
let outputs: [Float]
if arguments[0] == "model" {
    let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8], outputSize: 1)
    let driver = try ModelDriver(parameters: ModelParameters<Float>.random(architecture, seed: 1),
                                 registry: GeneratedKernels.self, workerCount: 1)
    var states = [Float](repeating: 0, count: driver.model.stateSize)
    outputs = try driver.infer(batch, states: &states)
} else {
    let kernel = LSTM_H8_D1_Float()
    let driver = try BatchDriver(kernel: kernel, parameters: try .random(kind: .lstm, hiddenSize: 8, inputSize: 1, seed: 1),
                                 workerCount: 1)
    var states = [Float](repeating: 0, count: kernel.stateSize)
    outputs = try driver.infer(batch, states: &states)
}
guard outputs.allSatisfy(\.isFinite) else {
    FileHandle.standardError.write(Data("non-finite output\n".utf8))
    exit(2)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("maxrss_kb \(usage.ru_maxrss)")
