import CellForge
import CellForgeKernels
import Foundation

/// The model example: a 2-layer LSTM (D 1 → H 8 → H 8) with a Dense(8 → 1) head learns a
/// soft clipper with memory (an amp-like effect): s_t = 0.7·s_{t−1} + 0.3·x_t, y_t = tanh(3·s_t),
/// on sine sweeps of random amplitude and frequency; then the trained model is streamed
/// sample by sample through a `ModelStream`.
public enum SignalModelTraining {
    /// What `run` did.
    public struct Outcome: Sendable {
        /// The MSE on the training batch before each epoch's step, then after the last.
        public var losses: [Double]
        /// The MSE of the streamed outputs against the targets of a fresh test signal.
        public var streamingError: Double
        /// The MSE of predicting y_t = 0 on that signal, for scale.
        public var silenceError: Double
    }

    /// The model's architecture.
    public static let architecture = try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8], outputSize: 1)

    /// A signal of `length` samples and its targets.
    public static func signal(length: Int, rng: inout SplitMix64) -> (x: [Float], y: [Float]) {
        let amplitude = 0.2 + 0.8 * (rng.nextSigned(Float.self) + 1) / 2
        let frequency = 0.02 + 0.2 * (rng.nextSigned(Float.self) + 1) / 2
        let phase = 3 * rng.nextSigned(Float.self)
        var s: Float = 0
        var x: [Float] = [], y: [Float] = []
        for t in 0..<length {
            let v = amplitude * sinf(2 * Float.pi * (Float(t) * frequency + phase))
            s = 0.7 * s + 0.3 * v
            x.append(v)
            y.append(Float.tanh(3 * s))
        }
        return (x, y)
    }

    /// Trains for `epochs` full-batch Adam steps on `sequences` signals of `length` samples, then streams a test signal.
    public static func run(epochs: Int, sequences: Int = 32, length: Int = 64, workerCount: Int = 1,
                           seed: UInt64 = 7) throws -> Outcome {
        var rng = SplitMix64(seed: seed)
        var x: [Float] = [], y: [Float] = []
        for _ in 0..<sequences {
            let s = signal(length: length, rng: &rng)
            x += s.x
            y += s.y
        }
        let batch = try SequenceBatch(inputs: x, lengths: Array(repeating: length, count: sequences), inputSize: 1)
        let layers = try architecture.openLayers(recurrent: [KernelLayer(LSTM_H8_D1_Float()), KernelLayer(LSTM_H8_D8_Float())])
        let driver = try ModelDriver(parameters: .random(architecture, seed: seed), layers: layers, workerCount: workerCount)
        var adam = try Adam<Float>(learningRate: 0.02)
        let clipping = try GradientClipping(maxNorm: 1)
        var losses: [Double] = []
        for _ in 0..<epochs {
            let r = try driver.train(batch, supervision: .meanSquaredError(targets: y), optimizer: &adam, clipping: clipping)
            losses.append(r.loss ?? .nan)
        }
        losses.append(try driver.gradient(batch, supervision: .meanSquaredError(targets: y)).loss)

        let stream = try ModelStream(parameters: driver.parameters, layers: layers)
        let test = signal(length: 512, rng: &rng)
        var error = 0.0, silence = 0.0
        for (v, target) in zip(test.x, test.y) {
            let out = stream.process(v)
            error += Double((out - target) * (out - target))
            silence += Double(target * target)
        }
        return Outcome(losses: losses, streamingError: error / 512, silenceError: silence / 512)
    }
}
