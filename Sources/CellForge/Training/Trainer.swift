import Foundation

/// Trains a model on a `SequenceDataset` with the one engine (`ModelDriver`) and Adam: epochs of
/// shuffled batches, a learning-rate schedule, gradient clipping, validation after each epoch,
/// the best model by validation metric kept, early stopping, and checkpoints written atomically.
///
/// Deterministic: the result depends on the data, the configuration, the initial parameters and
/// the driver's `sequencesPerChunk`, not on its worker count. A run resumed from one of its
/// checkpoints (`resume(from:)`) ends with the same parameters, bit for bit, as one never stopped.
public final class Trainer<Scalar: CellScalar> {
    /// The driver whose parameters are trained.
    public let driver: ModelDriver<Scalar>
    /// The training and validation data.
    public let training: SequenceDataset<Scalar>, validation: SequenceDataset<Scalar>?
    /// The configuration.
    public let configuration: TrainerConfiguration<Scalar>
    /// The optimizer, with its state.
    public private(set) var optimizer: Adam<Scalar>
    /// The learning-rate schedule's state.
    public private(set) var scheduler: LearningRateScheduler
    /// Every finished epoch, in order (resumed runs include the earlier ones).
    public private(set) var history: [EpochRecord] = []
    /// The parameters with the lowest validation metric so far, that metric, and the epoch (from 1) after which they were taken.
    public private(set) var best: BestModel<Scalar>?
    /// Seconds spent in `run` before this one (by the run a checkpoint was taken from).
    private var earlierSeconds = 0.0
    /// The settings checkpoints record and resumes compare (computed once: they checksum the data).
    private let settings: TrainerSettings

    /// A trainer at epoch 0 of `driver`'s current parameters.
    /// - Throws: a one-line `CellForgeError` if a dataset's input or output size is not the
    ///   model's, the configuration is out of range, or it drops the last partial batch and the
    ///   training data holds less than one batch.
    public init(driver: ModelDriver<Scalar>, training: SequenceDataset<Scalar>, validation: SequenceDataset<Scalar>? = nil,
                configuration: TrainerConfiguration<Scalar> = TrainerConfiguration()) throws {
        try configuration.validate()
        let a = driver.architecture
        for (name, data) in [("training", training), ("validation", validation)] {
            guard let data else { continue }
            guard data.inputSize == a.inputSize, data.outputSize == a.outputSize else {
                throw CellForgeError.shapeMismatch(name: "\(name) data sizes", expected: "D \(a.inputSize), O \(a.outputSize) (the model's)",
                                                   actual: "D \(data.inputSize), O \(data.outputSize)")
            }
        }
        if configuration.dropsLastPartialBatch, training.count < configuration.batchSize {
            throw CellForgeError.invalidArgument("training data has \(training.count) sequences, fewer than one batch of "
                + "\(configuration.batchSize), and the last partial batch is dropped")
        }
        self.driver = driver
        self.training = training
        self.validation = validation
        self.configuration = configuration
        optimizer = try Adam(learningRate: Scalar(configuration.learningRate), beta1: Scalar(configuration.adamBeta1),
                             beta2: Scalar(configuration.adamBeta2), epsilon: Scalar(configuration.adamEpsilon))
        scheduler = try LearningRateScheduler(configuration.schedule, baseRate: configuration.learningRate)
        settings = TrainerSettings(configuration, training: training, validation: validation,
                                   sequencesPerChunk: driver.sequencesPerChunk)
    }

    /// Epochs finished.
    public var epochsCompleted: Int { history.count }

    /// Training steps per epoch.
    public var stepsPerEpoch: Int {
        let b = configuration.batchSize
        return configuration.dropsLastPartialBatch ? training.count / b : (training.count + b - 1) / b
    }

    /// Whether early stopping's patience has run out.
    public var isOutOfPatience: Bool {
        guard let patience = configuration.patience, let best else { return false }
        return epochsCompleted - best.epoch >= patience
    }

    /// Trains until `configuration.epochs` epochs are done, patience runs out, or `shouldStop`
    /// (asked after each epoch) says to stop; checkpoints as configured, and after the last epoch run.
    /// - Parameters:
    ///   - progress: called after every training step and at the end of every epoch.
    /// - Returns: why it stopped.
    /// - Throws: `CellForgeError` if a checkpoint cannot be written (training stops there; the
    ///   trainer's state is that of the epoch just finished), or a batch is refused by the driver.
    @discardableResult
    public func run(shouldStop: () -> Bool = { false }, progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingOutcome {
        let runStart = ContinuousClock.now, epochsAtStart = epochsCompleted
        var outcome = TrainingOutcome.completed
        while epochsCompleted < configuration.epochs {
            if isOutOfPatience { outcome = .stoppedEarly; break }
            let epoch = epochsCompleted, epochStart = ContinuousClock.now
            let rate = scheduler.rate(epoch: epoch)
            optimizer.learningRate = Scalar(rate)
            let order = EpochOrder.permutation(count: training.count, seed: configuration.seed, epoch: epoch)
            var lossSum = 0.0, lossSequences = 0, refused = 0, stepsDone = 0, trainedSteps = 0
            func report(validation: Double?, ended: Bool) {
                let epochSeconds = seconds(since: epochStart), runSeconds = seconds(since: runStart)
                // Epochs this run has done, counting this one's share; the rest of the run at the same pace.
                let share = ended ? 1 : Double(stepsDone) / Double(stepsPerEpoch)
                let done = Double(epoch - epochsAtStart) + share, left = Double(configuration.epochs - epoch) - share
                progress(TrainingProgress(epoch: epoch + 1, epochs: configuration.epochs, step: stepsDone, stepsPerEpoch: stepsPerEpoch,
                                          loss: lossSequences > 0 ? lossSum / Double(lossSequences) : .nan, learningRate: rate,
                                          validation: validation, metricName: configuration.metricName, refusedSteps: refused,
                                          epochEnded: ended, rate: epochSeconds > 0 ? Double(trainedSteps) / epochSeconds : 0,
                                          epochSeconds: epochSeconds, elapsed: earlierSeconds + runSeconds,
                                          remaining: done > 0 ? max(0, left) * runSeconds / done : 0))
            }
            for start in stride(from: 0, to: stepsPerEpoch * configuration.batchSize, by: configuration.batchSize) {
                let batch = try TrainingBatch(training, indices: order[start..<min(start + configuration.batchSize, order.count)],
                                              loss: configuration.loss)
                let result = try driver.train(batch.sequences, supervision: .loss(batch.loss), optimizer: &optimizer,
                                              clipping: configuration.clipping)
                if result.applied, let loss = result.loss {
                    // The batch loss is a mean over its sequences (ESR) or values (MSE): weigh it by sequences.
                    lossSum += loss * Double(batch.sequences.count)
                    lossSequences += batch.sequences.count
                } else {
                    refused += 1
                }
                stepsDone += 1
                trainedSteps += batch.sequences.totalSteps
                report(validation: nil, ended: false)
            }
            let trainingLoss = lossSequences > 0 ? lossSum / Double(lossSequences) : .nan
            let metric = try validation.map { try evaluate($0) } ?? trainingLoss
            scheduler.endEpoch(metric: metric)
            if metric < (best?.metric ?? .infinity) { best = BestModel(parameters: driver.parameters, metric: metric, epoch: epoch + 1) }
            history.append(EpochRecord(epoch: epoch + 1, loss: trainingLoss, learningRate: rate, metric: metric,
                                       seconds: seconds(since: epochStart)))
            report(validation: validation == nil ? nil : metric, ended: true)
            let stop = shouldStop()
            if let url = configuration.checkpointURL,
               epochsCompleted % configuration.checkpointEvery == 0 || epochsCompleted == configuration.epochs || stop || isOutOfPatience {
                try checkpoint(elapsed: earlierSeconds + seconds(since: runStart)).save(to: url)
            }
            if stop { outcome = .interrupted; break }
        }
        if outcome == .completed, isOutOfPatience { outcome = .stoppedEarly }
        earlierSeconds += seconds(since: runStart)
        return outcome
    }

    /// `metric` (default: the configuration's metric) of the driver's current parameters on
    /// `dataset`, each sequence run from a zero state, all sequences scored as one batch.
    /// - Throws: `CellForgeError` if the dataset's sizes are not the model's.
    public func evaluate(_ dataset: SequenceDataset<Scalar>, metric: (any SequenceLoss<Scalar>)? = nil) throws -> Double {
        let metric = metric ?? configuration.metric ?? configuration.loss
        let batch = try TrainingBatch(dataset, indices: 0..<dataset.count, loss: metric)
        var states = [Scalar](repeating: 0, count: dataset.count * driver.model.stateSize)
        let outputs = try driver.infer(batch.sequences, states: &states)
        var gradient = [Scalar](repeating: 0, count: outputs.count)
        let O = dataset.outputSize
        return outputs.withUnsafeBufferPointer { y in
            gradient.withUnsafeMutableBufferPointer { g in
                (0..<dataset.count).reduce(0.0) { sum, n in
                    let range = (dataset.stepOffsets[n] * O)..<(dataset.stepOffsets[n + 1] * O)
                    return sum + batch.loss.evaluate(sequence: n, outputs: UnsafeBufferPointer(rebasing: y[range]),
                                                     gradient: UnsafeMutableBufferPointer(rebasing: g[range]))
                }
            }
        }
    }

    /// The trainer's state now, to save and resume from.
    public func checkpoint() throws -> TrainingCheckpoint<Scalar> { try checkpoint(elapsed: earlierSeconds) }

    func checkpoint(elapsed: Double) throws -> TrainingCheckpoint<Scalar> {
        try TrainingCheckpoint(model: ModelCheckpoint(driver: driver, optimizer: optimizer), best: best,
                               state: TrainerState(history: history, scheduler: scheduler, elapsed: elapsed,
                                                   settings: settings))
    }

    /// Continues the run `checkpoint` was taken from: its parameters, optimizer state, schedule,
    /// best model and history. All or nothing.
    /// - Throws: a one-line `CellForgeError` if the checkpoint's model is not the driver's, or a
    ///   setting that changes the result (batch size, seed, loss, metric, learning rate,
    ///   schedule, clipping, Adam's constants, the datasets' sizes) differs, naming both values.
    public func resume(from checkpoint: TrainingCheckpoint<Scalar>) throws {
        try settings.check(against: checkpoint.state.settings)
        let state = checkpoint.state, s = scheduler
        let scheduler = try LearningRateScheduler(s.schedule, baseRate: s.baseRate, plateauRate: state.plateauRate,
                                                  plateauBest: state.plateauBest, plateauBadEpochs: state.plateauBadEpochs)
        var optimizer = self.optimizer
        try checkpoint.model.restore(into: driver, optimizer: &optimizer)
        self.optimizer = optimizer
        self.scheduler = scheduler
        history = state.history
        best = checkpoint.best
        earlierSeconds = state.elapsed
    }

    /// `resume(from:)` with the checkpoint file at `url`.
    public func resume(from url: URL) throws { try resume(from: TrainingCheckpoint.load(from: url)) }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
