/// What a reference forward pass over one sequence produced: every output and
/// every intermediate value backpropagation through time needs.
///
/// Steps are numbered t = 1…T; index `t − 1` of each array holds step t.
public struct SequenceTrace<Scalar: CellScalar>: Sendable {
    /// The cell that produced the trace.
    public let kind: CellKind
    /// x_1…x_T, each of length D.
    public let inputs: [[Scalar]]
    /// h_0, length H.
    public let initialHidden: [Scalar]
    /// c_0, length H for LSTM; empty otherwise.
    public let initialCell: [Scalar]
    /// h_1…h_T, each of length H.
    public let hidden: [[Scalar]]
    /// c_1…c_T for LSTM, each of length H; empty otherwise.
    public let cell: [[Scalar]]
    /// Per step, the activated gates in `kind.gateNames` order (G·H values).
    /// GRU appends U_n·h_{t−1} + b_hn (H more values), which its backward pass needs.
    public let gates: [[Scalar]]

    /// Number of time steps T.
    public var length: Int { hidden.count }
    /// h_T (h_0 if T = 0).
    public var finalHidden: [Scalar] { hidden.last ?? initialHidden }
    /// c_T for LSTM (c_0 if T = 0); empty otherwise.
    public var finalCell: [Scalar] { cell.last ?? initialCell }

    /// h_{t−1} for step t (1-based).
    @inlinable public func previousHidden(_ t: Int) -> [Scalar] { t == 1 ? initialHidden : hidden[t - 2] }
    /// c_{t−1} for step t (1-based); LSTM only.
    @inlinable public func previousCell(_ t: Int) -> [Scalar] { t == 1 ? initialCell : cell[t - 2] }
}

/// The gradients of a loss with respect to everything a sequence's forward pass read.
public struct SequenceGradients<Scalar: CellScalar>: Sendable {
    /// δx_1…δx_T, each of length D.
    public var inputs: [[Scalar]]
    /// δW, δU, δb (and δb_hn for GRU) in the canonical layout, summed over steps.
    public var parameters: CellParameters<Scalar>
    /// δh_0, length H.
    public var initialHidden: [Scalar]
    /// δc_0 for LSTM, length H; empty otherwise.
    public var initialCell: [Scalar]
    /// Per step t, δgates_t = ∂L/∂z_t (G·H values, gate order of the cell); for GRU
    /// the candidate block is the input-side δ and the recurrent-side δ (r ⊙ δn) follows (H more).
    public var gateDeltas: [[Scalar]]
    /// Per step t, the total δh_t = Δ_t + the recurrent path from t + 1.
    public var hiddenDeltas: [[Scalar]]
    /// Per step t, δc_t for LSTM (including the path through c_{t+1}); empty otherwise.
    public var cellDeltas: [[Scalar]]
}
