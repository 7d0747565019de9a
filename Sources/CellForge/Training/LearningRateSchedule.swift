import Foundation

/// How the learning rate changes from epoch to epoch, with PyTorch's formulas
/// (`torch.optim.lr_scheduler`, closed forms), epoch e counting from 0 and base rate η₀.
public enum LearningRateSchedule: Equatable, Sendable {
    /// η₀ throughout.
    case constant
    /// η₀·γ^⌊e / every⌋ (`StepLR(step_size: every, gamma: γ)`).
    case step(every: Int, factor: Double)
    /// η₀·γ^e (`ExponentialLR(gamma: γ)`).
    case exponential(factor: Double)
    /// η_min + (η₀ − η_min)(1 + cos(π·e / period)) / 2 (`CosineAnnealingLR(T_max: period, eta_min:)`).
    case cosine(period: Int, minimum: Double)
    /// Multiplied by `factor` (not below `minimum`) when the validation metric has not improved
    /// on its best by more than the relative `threshold` for more than `patience` epochs
    /// (`ReduceLROnPlateau(mode: "min", threshold_mode: "rel", cooldown: 0, eps: 1e-8)`).
    case reduceOnPlateau(factor: Double, patience: Int, threshold: Double, minimum: Double)

    /// Throws unless the schedule's constants are in range: factors in (0, 1] (plateau: (0, 1)),
    /// periods and step sizes at least 1, patience at least 0, threshold and minimum at least 0.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: Double, _ allowed: String) throws {
            guard ok, value.isFinite else {
                throw CellForgeError.invalidArgument("learning-rate schedule \(name) is \(value), expected \(allowed)")
            }
        }
        switch self {
        case .constant: break
        case let .step(every, factor):
            try check(every >= 1, "step size", Double(every), "at least 1")
            try check(factor > 0 && factor <= 1, "factor", factor, "in (0, 1]")
        case let .exponential(factor): try check(factor > 0 && factor <= 1, "factor", factor, "in (0, 1]")
        case let .cosine(period, minimum):
            try check(period >= 1, "period", Double(period), "at least 1 epoch")
            try check(minimum >= 0, "minimum", minimum, "at least 0")
        case let .reduceOnPlateau(factor, patience, threshold, minimum):
            try check(factor > 0 && factor < 1, "factor", factor, "in (0, 1)")
            try check(patience >= 0, "patience", Double(patience), "at least 0")
            try check(threshold >= 0, "threshold", threshold, "at least 0")
            try check(minimum >= 0, "minimum", minimum, "at least 0")
        }
    }
}

/// A schedule's state during one training run: the rate for each epoch, and for
/// `reduceOnPlateau` the best metric and the epochs since it improved.
public struct LearningRateScheduler: Equatable, Sendable {
    /// The schedule.
    public let schedule: LearningRateSchedule
    /// η₀.
    public let baseRate: Double
    /// The rate `reduceOnPlateau` has reached (η₀ until it first reduces).
    public private(set) var plateauRate: Double
    /// The best metric `reduceOnPlateau` has seen (infinity before the first).
    public private(set) var plateauBest: Double
    /// Epochs since the metric last improved, as `ReduceLROnPlateau.num_bad_epochs`.
    public private(set) var plateauBadEpochs: Int

    /// A scheduler at epoch 0.
    /// - Throws: `CellForgeError` if the base rate is not positive and finite, or the schedule is invalid.
    public init(_ schedule: LearningRateSchedule, baseRate: Double) throws {
        guard baseRate > 0, baseRate.isFinite else {
            throw CellForgeError.invalidArgument("learning rate is \(baseRate), expected a positive finite number")
        }
        try schedule.validate()
        self.schedule = schedule
        self.baseRate = baseRate
        plateauRate = baseRate
        plateauBest = .infinity
        plateauBadEpochs = 0
    }

    /// A scheduler resumed with the plateau state saved from another run.
    init(_ schedule: LearningRateSchedule, baseRate: Double, plateauRate: Double, plateauBest: Double, plateauBadEpochs: Int) throws {
        try self.init(schedule, baseRate: baseRate)
        self.plateauRate = plateauRate
        self.plateauBest = plateauBest
        self.plateauBadEpochs = plateauBadEpochs
    }

    /// The learning rate of epoch `epoch` (counting from 0).
    public func rate(epoch e: Int) -> Double {
        switch schedule {
        case .constant: baseRate
        case let .step(every, factor): baseRate * pow(factor, Double(e / every))
        case let .exponential(factor): baseRate * pow(factor, Double(e))
        case let .cosine(period, minimum): minimum + (baseRate - minimum) * (1 + cos(Double.pi * Double(e) / Double(period))) / 2
        case .reduceOnPlateau: plateauRate
        }
    }

    /// Records the validation metric at the end of an epoch (only `reduceOnPlateau` uses it).
    public mutating func endEpoch(metric: Double) {
        guard case let .reduceOnPlateau(factor, patience, threshold, minimum) = schedule else { return }
        if metric < plateauBest * (1 - threshold) {
            plateauBest = metric
            plateauBadEpochs = 0
        } else {
            plateauBadEpochs += 1
        }
        if plateauBadEpochs > patience {
            let reduced = max(plateauRate * factor, minimum)
            if plateauRate - reduced > 1e-8 { plateauRate = reduced }
            plateauBadEpochs = 0
        }
    }
}
