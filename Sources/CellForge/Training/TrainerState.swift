import Foundation

/// The parameters with the lowest validation metric a `Trainer` has seen.
public struct BestModel<Scalar: CellScalar>: Equatable, Sendable {
    /// The parameters.
    public let parameters: ModelParameters<Scalar>
    /// Their validation metric.
    public let metric: Double
    /// The epoch (from 1) after which they were taken.
    public let epoch: Int

    public init(parameters: ModelParameters<Scalar>, metric: Double, epoch: Int) {
        self.parameters = parameters
        self.metric = metric
        self.epoch = epoch
    }
}

/// What a `Trainer` carries from epoch to epoch besides parameters and optimizer state.
public struct TrainerState: Equatable, Sendable {
    /// Every finished epoch.
    public let history: [EpochRecord]
    /// The `reduceOnPlateau` state (`LearningRateScheduler`).
    public let plateauRate: Double, plateauBest: Double, plateauBadEpochs: Int
    /// Seconds spent training.
    public let elapsed: Double
    /// The settings that change the result, by name (`TrainerSettings`).
    public let settings: [String: String]

    init(history: [EpochRecord], scheduler: LearningRateScheduler, elapsed: Double, settings: TrainerSettings) {
        self.init(history: history, plateauRate: scheduler.plateauRate, plateauBest: scheduler.plateauBest,
                  plateauBadEpochs: scheduler.plateauBadEpochs, elapsed: elapsed, settings: settings.values)
    }

    init(history: [EpochRecord], plateauRate: Double, plateauBest: Double, plateauBadEpochs: Int, elapsed: Double,
         settings: [String: String]) {
        self.history = history
        self.plateauRate = plateauRate
        self.plateauBest = plateauBest
        self.plateauBadEpochs = plateauBadEpochs
        self.elapsed = elapsed
        self.settings = settings
    }
}

/// The settings of a `Trainer` that change its result, as text, so that a resumed run can be
/// refused when they differ: batch size (and dropping the last partial batch), seed, loss, metric, learning rate and schedule,
/// clipping, Adam's constants, and each dataset's shape and checksum.
struct TrainerSettings {
    let values: [String: String]

    init<S: CellScalar>(_ c: TrainerConfiguration<S>, training: SequenceDataset<S>, validation: SequenceDataset<S>?,
                        sequencesPerChunk: Int) {
        func data(_ d: SequenceDataset<S>?) -> String {
            guard let d else { return "none" }
            let bytes = d.inputs.withUnsafeBytes { Data($0) } + d.targets.withUnsafeBytes { Data($0) }
            return "\(d.count) sequences, \(d.totalSteps) steps, burn-in \(d.burnIn), CRC-32C "
                + TensorChecksums.hex(CRC32C.checksum(bytes))
        }
        values = [
            "batch_size": "\(c.batchSize)", "drop_last": "\(c.dropsLastPartialBatch)", "seed": "\(c.seed)", "loss": c.loss.name, "metric": c.metricName,
            "learning_rate": "\(c.learningRate)", "schedule": "\(c.schedule)",
            "clipping": c.clipping.map { "max norm \($0.maxNorm)" } ?? "none",
            "adam": "β₁ \(c.adamBeta1), β₂ \(c.adamBeta2), ε \(c.adamEpsilon)",
            "training_data": data(training), "validation_data": data(validation),
            "sequences_per_chunk": "\(sequencesPerChunk)",
        ]
    }

    /// Throws naming the first setting (by name) whose value differs from the checkpoint's.
    func check(against saved: [String: String]) throws {
        for key in values.keys.sorted() where saved[key] != values[key] {
            throw CellForgeError.invalidArgument("cannot resume: the checkpoint's \(key.replacingOccurrences(of: "_", with: " ")) is "
                + "\(saved[key] ?? "missing"), this run's is \(values[key]!)")
        }
    }
}
