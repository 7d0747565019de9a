import CellForge
import Foundation

/// A synthetic task for the training example: next-step prediction of noisy sine waves.
///
/// Each sequence has its own angular frequency ω (uniform in `frequencies`, radians
/// per step) and phase φ. Its C channels are the same wave shifted by 2π/C each:
/// x_t[k] = A·sin(ω·t + φ + 2πk/C) + noise, and the target is the clean next value
/// y_t[k] = A·sin(ω·(t + 1) + φ + 2πk/C). Predicting it needs ω, which only the
/// history shows, so a memoryless predictor cannot reach zero loss.
public struct NoisySineTask: Sendable {
    /// C, channels per step (the cell's D and H).
    public let channels: Int
    /// A, the amplitude (kept below 1, the range of an LSTM output).
    public let amplitude: Float
    /// Half-width of the uniform noise added to the inputs.
    public let noise: Float
    /// Range of ω, radians per step.
    public let frequencies: ClosedRange<Float>

    /// The task with C channels (D = H = C).
    public init(channels: Int, amplitude: Float = 0.8, noise: Float = 0.05, frequencies: ClosedRange<Float> = 0.15...0.6) {
        self.channels = channels
        self.amplitude = amplitude
        self.noise = noise
        self.frequencies = frequencies
    }

    /// `count` sequences with lengths uniform in `lengths`, drawn from `seed`.
    /// - Returns: the batch and its targets, laid out like the outputs.
    /// - Throws: `CellForgeError` if `count` or a length is out of range.
    public func makeBatch(count: Int, lengths: ClosedRange<Int>, seed: UInt64) throws
        -> (batch: SequenceBatch<Float>, targets: [Float]) {
        var rng = SplitMix64(seed: seed)
        let sizes = (0..<max(count, 0)).map { _ in Int.random(in: lengths, using: &rng) }
        var inputs: [Float] = [], targets: [Float] = []
        inputs.reserveCapacity(sizes.reduce(0, +) * channels)
        targets.reserveCapacity(inputs.capacity)
        let width = frequencies.upperBound - frequencies.lowerBound
        for length in sizes {
            let omega = frequencies.lowerBound + width * (rng.nextSigned(Float.self) + 1) / 2
            let phase = Float.pi * rng.nextSigned(Float.self)
            for t in 0..<length {
                for k in 0..<channels {
                    let angle = phase + 2 * Float.pi * Float(k) / Float(channels)
                    inputs.append(amplitude * sin(omega * Float(t) + angle) + noise * rng.nextSigned(Float.self))
                    targets.append(amplitude * sin(omega * Float(t + 1) + angle))
                }
            }
        }
        return (try SequenceBatch(inputs: inputs, lengths: sizes, inputSize: channels), targets)
    }

    /// Mean of ½(ŷ − y)² over every output when predicting y_t by the current input x_t
    /// (the memoryless baseline a trained network should beat).
    public static func copyBaseline(_ batch: SequenceBatch<Float>, targets: [Float]) -> Double {
        guard !targets.isEmpty else { return 0 }
        let sum = zip(batch.inputs, targets).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) / 2 }
        return sum / Double(targets.count)
    }
}
