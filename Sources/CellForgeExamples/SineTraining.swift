import CellForge
import CellForgeKernels
import Foundation

/// The training example: a generated H8 D8 Float kernel (`LSTM_H8_D8_Float` by default,
/// or the GRU or tanh RNN) learns `NoisySineTask` with `BatchDriver`, Adam and
/// gradient-norm clipping. `cellforge-train` runs it at full size; tests run it small
/// and check that the loss falls below a threshold.
public enum SineTraining {
    /// Sizes and settings of one run.
    public struct Configuration: Sendable {
        /// The cell to train (its generated H8 D8 Float kernel).
        public var cell = CellKind.lstm
        /// Passes over the training set.
        public var epochs = 30
        /// Sequences in the training set.
        public var sequences = 1024
        /// Sequences per training step.
        public var batchSize = 64
        /// Range of sequence lengths (sequences in a batch differ in length).
        public var lengths = 24...48
        /// Adam's learning rate.
        public var learningRate: Float = 0.01
        /// Maximum global gradient norm.
        public var maxGradientNorm = 5.0
        /// Threads for the driver.
        public var workerCount = ProcessInfo.processInfo.activeProcessorCount
        /// Seed for the parameters and the data.
        public var seed: UInt64 = 2024

        /// The default configuration.
        public init() {}
    }

    /// What one epoch did.
    public struct EpochReport: Sendable {
        /// 1-based epoch number.
        public let epoch: Int
        /// Mean of ½(h − y)² over every output of the epoch's steps (measured before each step).
        public let meanLoss: Double
        /// Steps refused because the loss or a gradient was not finite.
        public let refusedSteps: Int
        /// Seconds since training started.
        public let elapsed: Double
    }

    /// The memoryless baseline loss of the run's training set (see `NoisySineTask.copyBaseline`).
    public static func baseline(_ configuration: Configuration) throws -> Double {
        let data = try trainingSet(configuration)
        return data.map { NoisySineTask.copyBaseline($0.batch, targets: $0.targets) }.reduce(0, +) / Double(data.count)
    }

    /// Trains from seeded random parameters and calls `progress` after every epoch.
    /// - Returns: one report per epoch.
    /// - Throws: `CellForgeError` for an invalid configuration.
    @discardableResult
    public static func run(_ configuration: Configuration,
                           progress: (EpochReport) -> Void = { _ in }) throws -> [EpochReport] {
        let key = KernelKey(kind: configuration.cell, hiddenSize: 8, inputSize: 8, scalar: .float)
        return try withoutActuallyEscaping(progress) { progress in
            try GeneratedKernels.open(key, with: Trainer(configuration: configuration, progress: progress))
        }
    }

    /// Runs `run(_:_:progress:)` on the kernel the registry finds.
    struct Trainer: KernelOpener {
        let configuration: Configuration
        let progress: (EpochReport) -> Void
        func open<K: GeneratedKernel>(_ kernel: K) throws -> [EpochReport] {
            try SineTraining.run(kernel, configuration, progress: progress)
        }
    }

    /// `run(_:progress:)` with the kernel given; the Float data is converted to its scalar type.
    static func run<K: RecurrentKernel>(_ kernel: K, _ configuration: Configuration,
                                        progress: (EpochReport) -> Void) throws -> [EpochReport] {
        typealias S = K.Scalar
        let initial = try CellParameters<S>.random(kind: kernel.kind, hiddenSize: 8, inputSize: 8, seed: configuration.seed)
        let driver = try BatchDriver(kernel: kernel, parameters: initial, workerCount: configuration.workerCount)
        var adam = try Adam<S>(learningRate: S(configuration.learningRate))
        let clipping = try GradientClipping(maxNorm: configuration.maxGradientNorm)
        let batches = try trainingSet(configuration).map { set in
            (batch: try SequenceBatch<S>(inputs: set.batch.inputs.map { S($0) }, lengths: set.batch.lengths,
                                         inputSize: set.batch.inputSize),
             targets: set.targets.map { S($0) })
        }
        let start = Date()
        var reports: [EpochReport] = []
        for epoch in 1...max(configuration.epochs, 1) {
            var (loss, outputs, refused) = (0.0, 0, 0)
            for (batch, targets) in batches {
                let result = try driver.train(batch, supervision: .l2(targets: targets), optimizer: &adam, clipping: clipping)
                if result.applied { loss += result.loss ?? 0; outputs += targets.count } else { refused += 1 }
            }
            let report = EpochReport(epoch: epoch, meanLoss: loss / Double(max(outputs, 1)), refusedSteps: refused,
                                     elapsed: Date().timeIntervalSince(start))
            reports.append(report)
            progress(report)
        }
        return reports
    }

    /// The training set, cut into batches (the last one may be smaller).
    static func trainingSet(_ c: Configuration) throws -> [(batch: SequenceBatch<Float>, targets: [Float])] {
        guard c.sequences >= 1, c.batchSize >= 1 else {
            throw CellForgeError.invalidArgument(
                "training set: sequences and batch size must be at least 1, got \(c.sequences) sequences and batch size \(c.batchSize)")
        }
        let task = NoisySineTask(channels: 8)
        return try stride(from: 0, to: c.sequences, by: c.batchSize).map { first in
            try task.makeBatch(count: min(c.batchSize, c.sequences - first), lengths: c.lengths,
                               seed: c.seed &+ UInt64(first) &+ 1)
        }
    }
}
