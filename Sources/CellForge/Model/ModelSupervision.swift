/// A loss of the model's outputs, computed one sequence at a time so sums stay deterministic.
///
/// Called concurrently from the driver's worker threads (for different sequences), so it must
/// not mutate shared state; it must not allocate if training is to stay allocation-free.
public protocol ModelLoss<Scalar>: Sendable {
    /// The scalar type.
    associatedtype Scalar: CellScalar
    /// Sequence `sequence`'s loss: reads its outputs y (T × O scalars, step-major), writes
    /// Δ = ∂L/∂y into `gradient` (same shape) and returns its loss. The model's loss is the
    /// sum over sequences.
    func evaluate(sequence: Int, outputs: UnsafeBufferPointer<Scalar>, gradient: UnsafeMutableBufferPointer<Scalar>) -> Double
}

/// What a model's training step learns from; targets and output gradients are laid out like
/// the outputs (O scalars per step, sequence n at O·`stepOffsets[n]`).
public enum ModelSupervision<Scalar: CellScalar>: Sendable {
    /// Mean over every output scalar of every step of every sequence of (y − t)²
    /// (PyTorch's `nn.MSELoss()`).
    case meanSquaredError(targets: [Scalar])
    /// Σ ½‖y − t‖² over every step of every sequence, not averaged (seed 002's loss; without a
    /// head y is the top layer's h).
    case l2(targets: [Scalar])
    /// Any loss, evaluated per sequence.
    case loss(any ModelLoss<Scalar>)
    /// Δ_t = ∂L/∂y_t for every step, from a loss computed elsewhere (a layer above, a custom
    /// objective): backpropagated as given, and no loss is reported.
    case outputGradients([Scalar])

    /// The scalars laid out like the outputs, with the name errors give them: targets or
    /// output gradients; nil for a custom loss.
    @inlinable var perStepValues: (name: String, values: [Scalar])? {
        switch self {
        case let .meanSquaredError(t), let .l2(t): ("targets", t)
        case let .outputGradients(g): ("output gradients", g)
        case .loss: nil
        }
    }

    /// Whether the step computes a loss (every case but `outputGradients`).
    @inlinable public var computesLoss: Bool {
        if case .outputGradients = self { false } else { true }
    }
}
