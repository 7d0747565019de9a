/// What one `BatchDriver.train` or `ModelDriver.train` call did.
public struct TrainingStepResult: Equatable, Sendable, CustomStringConvertible {
    /// Why a step was not applied.
    public enum Refusal: Equatable, Sendable, CustomStringConvertible {
        /// The loss was NaN or infinite.
        case nonFiniteLoss
        /// A gradient was NaN or infinite (or the norm overflowed).
        case nonFiniteGradient
        /// The loss (summed in Double) is finite but larger than the scalar type can hold, so
        /// the residuals h − y are too large for the step to mean anything (e.g. a target of 3e38).
        case lossOverflow
        /// The optimizer refused the update because a new parameter or state value would not
        /// be finite, or its step count could not grow (see `Optimizer.step`).
        case optimizerOverflow
        /// Every sequence of the batch has length 0: there is nothing to learn from, and the
        /// optimizer is not stepped (Adam's step count does not grow).
        case noSteps

        public var description: String {
            let unchanged = "parameters and optimizer state unchanged"
            return switch self {
            case .nonFiniteLoss: "non-finite loss (NaN or infinity); \(unchanged)"
            case .nonFiniteGradient: "non-finite gradient (NaN or infinity); \(unchanged)"
            case .lossOverflow: "loss larger than the scalar type's largest finite value; \(unchanged)"
            case .optimizerOverflow: "the optimizer's update would leave a non-finite value; \(unchanged)"
            case .noSteps: "every sequence has length 0, so there is no step to take; \(unchanged)"
            }
        }
    }

    /// The loss the step's gradient is of, or nil when training on upstream gradients
    /// (`.outputGradients`): `.l2` gives Σ ½‖y − t‖² over the batch (summed, not averaged);
    /// `.meanSquaredError` gives the mean of (y − t)² over every output value; a custom `ModelLoss`
    /// gives the sum of its per-sequence values.
    public let loss: Double?
    /// ‖δθ‖₂ of the batch's summed gradient, before clipping.
    public let gradientNorm: Double
    /// Whether the gradient was scaled down by `GradientClipping`.
    public let clipped: Bool
    /// Why the step was refused, or nil if the optimizer step was applied.
    public let refusal: Refusal?

    /// Whether the optimizer step was applied.
    public var applied: Bool { refusal == nil }

    @usableFromInline
    init(loss: Double?, gradientNorm: Double, clipped: Bool, refusal: Refusal?) {
        self.loss = loss
        self.gradientNorm = gradientNorm
        self.clipped = clipped
        self.refusal = refusal
    }

    public var description: String {
        func text(_ x: Double) -> String { x.isFinite ? "\(x)" : "not finite" }
        let lossText = loss.map { "loss \(text($0))" } ?? "no loss"
        if let refusal { return "refused: \(refusal) (\(lossText), gradient norm \(text(gradientNorm)))" }
        return "applied: \(lossText), gradient norm \(text(gradientNorm))\(clipped ? " (clipped)" : "")"
    }
}
