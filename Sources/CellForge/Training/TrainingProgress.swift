/// Where a `Trainer` stands, reported after every training step and at the end of every epoch.
public struct TrainingProgress: Sendable {
    /// The epoch running, counting from 1.
    public let epoch: Int
    /// The epochs the run will take at most.
    public let epochs: Int
    /// Steps done in this epoch, and steps per epoch.
    public let step: Int, stepsPerEpoch: Int
    /// The mean training loss of this epoch's steps so far (refused steps left out).
    public let loss: Double
    /// The learning rate of this epoch.
    public let learningRate: Double
    /// The validation metric, after the epoch's last step (nil before it, or without validation data).
    public let validation: Double?
    /// The metric's name ("ESR").
    public let metricName: String
    /// Steps refused in this epoch (`TrainingStepResult.Refusal`).
    public let refusedSteps: Int
    /// Whether this report ends the epoch.
    public let epochEnded: Bool
    /// Sequence steps trained per second in this epoch.
    public let rate: Double
    /// Seconds this epoch has taken so far (validation included once it ends).
    public let epochSeconds: Double
    /// Seconds spent training so far in this run (resumed runs include earlier time), and the estimate left.
    public let elapsed: Double, remaining: Double
}

/// One finished epoch, in `Trainer.history`.
public struct EpochRecord: Equatable, Sendable {
    /// The epoch, counting from 1.
    public let epoch: Int
    /// Its mean training loss and learning rate.
    public let loss: Double, learningRate: Double
    /// The validation metric after it (the training loss when there is no validation data).
    public let metric: Double
    /// Seconds the epoch took, validation included.
    public let seconds: Double
}

/// How `Trainer.run` ended.
public enum TrainingOutcome: Equatable, Sendable {
    /// Every epoch ran.
    case completed
    /// The metric did not improve for `patience` epochs.
    case stoppedEarly
    /// The caller's `shouldStop` asked to stop after an epoch.
    case interrupted
}
