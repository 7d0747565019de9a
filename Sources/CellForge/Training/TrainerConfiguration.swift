import Foundation

/// How a `Trainer` trains: epochs, batches, the loss and the optimizer's rate, and when it stops
/// and saves. Every choice that changes the result is saved in the trainer's checkpoints, and a
/// resumed run must make the same ones (only `epochs`, `patience` and checkpointing may change).
public struct TrainerConfiguration<Scalar: CellScalar>: Sendable {
    /// Passes over the training set, at most.
    public var epochs: Int = 100
    /// Sequences per training step.
    public var batchSize: Int = 16
    /// Whether an epoch leaves out its last batch when it is smaller than `batchSize` (PyTorch's
    /// `drop_last`, as NAM's trainer sets it); by default it trains on it.
    public var dropsLastPartialBatch = false
    /// Fixes the order of each epoch's sequences (`EpochOrder`).
    public var seed: UInt64 = 0
    /// The training loss.
    public var loss: any SequenceLoss<Scalar> = try! ErrorToSignalRatioLoss<Scalar>()
    /// The validation metric, which picks the best model, drives `reduceOnPlateau` and early
    /// stopping; nil for the training loss itself.
    public var metric: (any SequenceLoss<Scalar>)? = nil
    /// Adam's base learning rate η₀.
    public var learningRate: Double = 0.008
    /// Adam's β₁, β₂ and ε.
    public var adamBeta1: Double = 0.9, adamBeta2: Double = 0.999, adamEpsilon: Double = 1e-8
    /// The learning rate's schedule over epochs.
    public var schedule: LearningRateSchedule = .constant
    /// Clipping of the gradient's global norm, or nil for none.
    public var clipping: GradientClipping? = nil
    /// Stop when the validation metric has not improved for this many epochs; nil never stops early.
    public var patience: Int? = nil
    /// Where checkpoints go (written atomically), or nil for none.
    public var checkpointURL: URL? = nil
    /// A checkpoint every this many epochs, and always after the last one.
    public var checkpointEvery: Int = 1

    /// The defaults: 100 epochs, batches of 16, ESR, Adam η₀ 0.008, constant rate, no clipping,
    /// no early stopping, no checkpoints.
    public init() {}

    /// The metric's name.
    public var metricName: String { (metric ?? loss).name }

    /// Throws a one-line `CellForgeError` naming the first setting out of range.
    public func validate() throws {
        for (name, value) in [("epochs", epochs), ("batch size", batchSize), ("checkpoint interval", checkpointEvery)] where value < 1 {
            throw CellForgeError.invalidSize(name: name, value: value, allowed: "at least 1")
        }
        if let patience, patience < 1 { throw CellForgeError.invalidSize(name: "patience", value: patience, allowed: "at least 1 epoch") }
        _ = try LearningRateScheduler(schedule, baseRate: learningRate)
        _ = try Adam<Scalar>(learningRate: Scalar(learningRate), beta1: Scalar(adamBeta1), beta2: Scalar(adamBeta2),
                             epsilon: Scalar(adamEpsilon))
    }
}
