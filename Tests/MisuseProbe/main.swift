import CellForge
import Foundation

// cellforge-misuse-probe [model]: uses one BatchDriver (with `model`, one ModelDriver) from two
// threads at once, which must trap with "BatchDriver used from two threads at once" (or
// "ModelDriver …"). Run by the driver and model ConcurrentMisuseTests as a child process;
// exits 0 (a test failure) only if the calls never overlapped in 20 s.

/// Calls `infer` from this thread and one other until the deadline.
func misuse(_ infer: @escaping @Sendable () -> Void) {
    let deadline = Date().addingTimeInterval(20)
    let other = Thread { while Date() < deadline { infer() } }
    other.start()
    while Date() < deadline { infer() }
    print("no overlap in 20 s")
}

let batch = try SequenceBatch(inputs: Array(repeating: 0.1, count: 64 * 8 * 8), lengths: Array(repeating: 8, count: 64), inputSize: 8)
if CommandLine.arguments.dropFirst().first == "model" {
    let architecture = try ModelArchitecture(kind: .lstm, inputSize: 8, hiddenSizes: [8], outputSize: 1)
    let driver = try ModelDriver(parameters: ModelParameters<Double>.random(architecture, seed: 1),
                                 layers: architecture.referenceLayers(Double.self), workerCount: 1)
    nonisolated(unsafe) let shared = driver
    misuse {
        var states = [Double](repeating: 0, count: 64 * shared.model.stateSize)
        _ = try? shared.infer(batch, states: &states)
    }
} else {
    let kernel = try ReferenceKernel<Double>(kind: .lstm, hiddenSize: 8, inputSize: 8)
    let parameters = try CellParameters<Double>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 1)
    let driver = try BatchDriver(kernel: kernel, parameters: parameters, workerCount: 1)
    nonisolated(unsafe) let shared = driver
    misuse {
        var states = [Double](repeating: 0, count: 64 * 16)
        _ = try? shared.infer(batch, states: &states)
    }
}
