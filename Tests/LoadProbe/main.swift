import CellForge
import Foundation

// cellforge-load-probe FORMAT PATH: loads one file with the loader FORMAT names and prints
// "loaded" or "refused: <error>", then "maxrss_kb <peak resident set in KiB>" (getrusage),
// so tests can bound a loader's peak memory in a fresh process. Exits 0 either way (1 for
// bad arguments); a crash or trap shows as a signal.

let formats: [String: (URL) throws -> Void] = [
    "model": { _ = try AnyModelParameters(modelFileAt: $0) },
    "model-checkpoint-float": { _ = try ModelCheckpoint<Float>.load(from: $0) },
    "model-checkpoint-double": { _ = try ModelCheckpoint<Double>.load(from: $0) },
    "cell-checkpoint": { _ = try Checkpoint<Float>.load(from: $0, kind: .lstm, hiddenSize: 3, inputSize: 2) },
    "rtneural": { _ = try AnyModelParameters(rtNeuralAt: $0) },
    "keras": { _ = try KerasModelWeights.parameters(from: SafeTensors(contentsOf: $0)) as ModelParameters<Float> },
    "safetensors": { _ = try SafeTensors(contentsOf: $0) },
]

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let load = formats[arguments.first!] else {
    FileHandle.standardError.write(Data("usage: cellforge-load-probe \(formats.keys.sorted().joined(separator: "|")) PATH\n".utf8))
    exit(1)
}
do {
    try load(URL(fileURLWithPath: arguments.last!))
    print("loaded")
} catch {
    print("refused: \(error)")
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("maxrss_kb \(usage.ru_maxrss)")
