import Foundation
import CellForge

// Seed 002's two-step LSTM example through the reference cell: forward, loss,
// backward, one SGD step. Prints the values the seed document works out.
let H = 1, D = 2
let parameters = try CellParameters<Double>(
    kind: .lstm, hiddenSize: H, inputSize: D,
    W: [0.45, 0.25, 0.95, 0.8, 0.7, 0.45, 0.6, 0.4],
    U: [0.15, 0.8, 0.1, 0.25],
    b: [0.2, 0.65, 0.15, 0.1])
let lstm = try ReferenceLSTM(parameters: parameters)
let x: [[Double]] = [[1, 2], [0.5, 3]]
let labels: [[Double]] = [[0.5], [1.25]]

let trace = try lstm.forward(x)
for t in 0..<trace.length {
    let g = trace.gates[t]
    print("step \(t): a \(fmt(g[0])) i \(fmt(g[1])) f \(fmt(g[2])) o \(fmt(g[3])) state \(fmt(trace.cell[t][0])) out \(fmt(trace.hidden[t][0]))")
}
print("loss \(fmt(try L2Loss.value(outputs: trace.hidden, targets: labels)))")
let grads = try lstm.backward(trace, outputGradients: try L2Loss.gradient(outputs: trace.hidden, targets: labels))
print("δW \(grads.parameters.W.map(fmt))")
print("δU \(grads.parameters.U.map(fmt))")
print("δb \(grads.parameters.b.map(fmt))")
var updated = parameters
var sgd = SGD<Double>(learningRate: 0.1)
try sgd.step(&updated, gradient: grads.parameters)
print("W after SGD (λ 0.1) \(updated.W.map(fmt))")

func fmt(_ v: Double) -> String { String(format: "%.5f", v) }
