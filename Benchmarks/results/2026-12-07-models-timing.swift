import CellForge
import Foundation

@inline(never) func minimumSeconds(_ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    var clock = timespec()
    func now() -> Double { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &clock); return Double(clock.tv_sec) + Double(clock.tv_nsec) * 1e-9 }
    for _ in 0..<15 { let s = now(); body(); best = min(best, now() - s) }
    return best
}
var sink = 0.0
// Streaming LSTM(1→20) → Dense(20→1)
let sa = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [20], outputSize: 1)
let stream = try ModelStream(parameters: ModelParameters<Float>.random(sa, seed: 2), layers: sa.openLayers(recurrent: [KernelLayer(LSTM_H20_D1_Float())]))
let signal = (0..<4096).map { Float(sin(Double($0) * 0.05)) * 0.8 }
var out = [Float](repeating: 0, count: 4096)
let perSample = minimumSeconds { var a: Float = 0; for x in signal { a += stream.process(x) }; sink += Double(a) }
let perBlock = minimumSeconds { signal.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { y in stream.process(input: x.baseAddress!, output: y.baseAddress!, frames: 4096) } } }
print("stream LSTM20+Dense: \(perSample / 4096 * 1e9) ns/sample per call, \(perBlock / 4096 * 1e9) ns/sample blocks")
func train(_ a: ModelArchitecture, _ rec: [any ModelLayer<Float>]) throws -> Double {
    let (N, T) = (256, 64)
    let d = try ModelDriver(parameters: ModelParameters<Float>.random(a, seed: 1), layers: a.openLayers(recurrent: rec), workerCount: 1)
    var rng = SplitMix64(seed: 9)
    let b = try SequenceBatch(inputs: (0..<(N * T)).map { _ in rng.nextSigned(Float.self) }, lengths: Array(repeating: T, count: N), inputSize: 1)
    let sup = ModelSupervision<Float>.meanSquaredError(targets: (0..<(N * T)).map { _ in rng.nextSigned(Float.self) / 2 })
    var adam = try Adam<Float>(learningRate: 1e-4)
    return minimumSeconds { _ = try! d.train(b, supervision: sup, optimizer: &adam) } / Double(N * T) * 1e9
}
let stacked = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)
print("train stacked 2x8: \(try train(stacked, [KernelLayer(LSTM_H8_D1_Float()), KernelLayer(LSTM_H8_D8_Float())])) ns/seq-step")
let mixed = try ModelArchitecture(layers: [
    .dense(DenseLayerShape(inputSize: 1, outputSize: 8)), .activation(ActivationLayerShape(kind: .tanh, size: 8)),
    .recurrent(RecurrentLayerShape(kind: .lstm, hiddenSize: 8, inputSize: 8)),
    .dense(DenseLayerShape(inputSize: 8, outputSize: 8)), .activation(ActivationLayerShape(kind: .sigmoid, size: 8)),
    .dense(DenseLayerShape(inputSize: 8, outputSize: 1))])
print("train mixed: \(try train(mixed, [KernelLayer(LSTM_H8_D8_Float())])) ns/seq-step")
print(sink > 0 ? "" : " ")
