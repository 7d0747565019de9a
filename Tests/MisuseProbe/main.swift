import CellForge
import Foundation

// cellforge-misuse-probe: uses one BatchDriver from two threads at once, which must trap
// with "BatchDriver used from two threads at once". Run by ConcurrentMisuseTests as a
// child process; exits 0 (a test failure) only if the calls never overlapped in 20 s.

let kernel = try ReferenceKernel<Double>(kind: .lstm, hiddenSize: 8, inputSize: 8)
let parameters = try CellParameters<Double>.random(kind: .lstm, hiddenSize: 8, inputSize: 8, seed: 1)
let driver = try BatchDriver(kernel: kernel, parameters: parameters, workerCount: 1)
let batch = try SequenceBatch(inputs: Array(repeating: 0.1, count: 64 * 8 * 8), lengths: Array(repeating: 8, count: 64), inputSize: 8)
nonisolated(unsafe) let shared = driver
let deadline = Date().addingTimeInterval(20)
let other = Thread {
    var states = [Double](repeating: 0, count: 64 * 16)
    while Date() < deadline { _ = try? shared.infer(batch, states: &states) }
}
other.start()
var states = [Double](repeating: 0, count: 64 * 16)
while Date() < deadline { _ = try driver.infer(batch, states: &states) }
print("no overlap in 20 s")
