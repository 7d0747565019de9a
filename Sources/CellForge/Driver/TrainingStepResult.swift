/// What one `BatchDriver.train` or `ModelDriver.train` call did.
public struct TrainingStepResult: Equatable, Sendable, CustomStringConvertible {
    /// Why a step was not applied.
    public enum Refusal: Equatable, Sendable, CustomStringConvertible {
        /// The loss was NaN or infinite.
        case nonFiniteLoss
        /// A gradient was NaN or infinite (or the norm overflowed).
        case nonFiniteGradient

        public var description: String {
            switch self {
            case .nonFiniteLoss: "non-finite loss (NaN or infinity); parameters and optimizer state unchanged"
            case .nonFiniteGradient: "non-finite gradient (NaN or infinity); parameters and optimizer state unchanged"
            }
        }
    }

    /// The loss the step's gradient is of, or nil when training on upstream gradients: `BatchDriver`'s
    /// L2 and a `ModelDriver`'s `.l2` give Σ ½‖h − y‖² over the batch (summed, not averaged);
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
        let lossText = loss.map { "loss \($0)" } ?? "no loss"
        if let refusal { return "refused: \(refusal) (\(lossText), gradient norm \(gradientNorm))" }
        return "applied: \(lossText), gradient norm \(gradientNorm)\(clipped ? " (clipped)" : "")"
    }
}
