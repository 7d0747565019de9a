/// What a training step learns from: targets for the driver's L2 loss, or upstream
/// gradients from a loss computed elsewhere. Both are laid out like the outputs
/// (H scalars per step, sequence n at H·`stepOffsets[n]`; see `SequenceBatch`).
public enum BatchSupervision<Scalar: CellScalar>: Sendable {
    /// y_t for every step; the loss is Σ over sequences and steps of ½‖h_t − y_t‖² (seed 002), not averaged.
    case targets([Scalar])
    /// Δ_t = ∂L/∂h_t for every step; the driver reports no loss.
    case outputGradients([Scalar])

    /// The scalars, whichever case.
    @inlinable var values: [Scalar] {
        switch self {
        case let .targets(v), let .outputGradients(v): v
        }
    }
}
