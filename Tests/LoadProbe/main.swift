import CellForge
import Foundation

// cellforge-load-probe FORMAT PATH: loads one file with the loader FORMAT names and prints
// "loaded" or "refused: <error>", then "maxrss_kb <peak resident set in KiB>", so tests can
// bound a loader's peak memory in a fresh process, and "sanitizer yes" when built with
// AddressSanitizer or ThreadSanitizer (whose memory use such bounds do not describe). Exits 0
// either way (1 for bad arguments); a crash or trap shows as a signal. The -digest formats import a Float
// model and print "loaded digest <16 hex digits>", a hash of its model file's bytes (every
// parameter bit and the architecture), so tests can compare imports across processes, whose
// Dictionary and Set orders differ.

/// FNV-1a (64-bit) of `model` saved as a model file.
func digest(_ model: ModelParameters<Float>) throws -> String {
    let bytes = try ModelFile(parameters: model).safeTensors.serialized()
    let hash = bytes.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    return "digest " + String(hash, radix: 16)
}

let formats: [String: (URL) throws -> String?] = [
    "model": { _ = try AnyModelParameters(modelFileAt: $0); return nil },
    "model-checkpoint-float": { _ = try ModelCheckpoint<Float>.load(from: $0); return nil },
    "model-checkpoint-double": { _ = try ModelCheckpoint<Double>.load(from: $0); return nil },
    "cell-checkpoint": { _ = try ModelCheckpoint<Float>.load(from: $0); return nil },
    "rtneural": { _ = try AnyModelParameters(rtNeuralAt: $0); return nil },
    "keras": { _ = try KerasModelWeights.parameters(from: SafeTensors(contentsOf: $0)) as ModelParameters<Float>; return nil },
    "safetensors": { _ = try SafeTensors(contentsOf: $0); return nil },
    "rtneural-digest": { try digest(RTNeuralModel.parameters(contentsOf: $0)) },
    "keras-digest": { try digest(KerasModelWeights.parameters(from: SafeTensors(contentsOf: $0))) },
    "pytorch-digest": { try digest(PyTorchModelWeights.parameters(from: SafeTensors(contentsOf: $0))) },
]

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let load = formats[arguments.first!] else {
    FileHandle.standardError.write(Data("usage: cellforge-load-probe \(formats.keys.sorted().joined(separator: "|")) PATH\n".utf8))
    exit(1)
}
do {
    let detail = try load(URL(fileURLWithPath: arguments.last!))
    print(["loaded", detail].compactMap { $0 }.joined(separator: " "))
} catch {
    print("refused: \(error)")
}
/// The peak resident set of this process since it started this program, in KiB: VmHWM from
/// /proc/self/status where there is one. Not getrusage's ru_maxrss on Linux, which keeps the
/// peak of the process that spawned this one when it was spawned with vfork, as posix_spawn does.
func peakResidentKiB() -> Int {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kib = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap({ Int($0) }) {
        return kib
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss)
}

print("maxrss_kb \(peakResidentKiB())")
let sanitizers: [String] = ["__asan_init", "__tsan_init"]
if sanitizers.contains(where: { name in dlsym(nil, name) != nil }) {
    print("sanitizer yes")
}
