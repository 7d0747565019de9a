import CellForge

/// How a gate block's pre-activation becomes its value.
enum Activation: Equatable {
    case tanh
    case sigmoid
    /// Computed by the cell's own pointwise code (the GRU candidate); the
    /// shared vector activation leaves it alone.
    case pointwise
}

/// One cell's equations, stated once: which activation each gate block gets and the
/// pointwise code of one step in the typed form (`Pointwise`). Everything else (matrix
/// products, the fused lane-group activation and δgates, reductions, the tape) is shared
/// by `KernelEmitter`; what the cell needs of it is read off its pointwise code.
protocol CellEquations {
    /// The cell.
    var kind: CellKind { get }
    /// Forward activation of each gate block, applied to the whole packed group at once.
    var activations: [Activation] { get }
    /// The activation whose derivative δz = upstream ⊙ act′ uses, per gate block.
    var derivativeActivations: [Activation] { get }
    /// State vectors after h whose δ is carried backwards (LSTM: c).
    var carriedStates: [String] { get }
    /// Forward pointwise code of one step: reads gates and the previous record, writes the current record.
    var forward: Pointwise { get }
    /// Backward pointwise code of one step: reads the total δh_t (`carry("h")`) and the other
    /// carries, writes the upstream value of each gate block and updates the carries.
    var backward: Pointwise { get }
}

extension CellEquations {
    var derivativeActivations: [Activation] { activations }
    var carriedStates: [String] { [] }

    /// Whether U·h_{t−1} is kept apart from W·x_t + b: the forward code reads one of them
    /// (GRU: its candidate needs r ⊙ (U_n·h + b_hn)).
    var keepsRecurrentProductApart: Bool {
        forward.reads.contains { if case .inputProduct = $0 { true } else if case .recurrentProduct = $0 { true } else { false } }
    }
    /// Whether δh_{t−1} has a path besides Uᵀ·δz: the backward code writes it (GRU: u ⊙ δh_t).
    var hasDirectHiddenPath: Bool { backward.writes.contains(.directHiddenGradient) }
}

/// The equations for a cell kind.
func equations(for kind: CellKind) -> any CellEquations {
    switch kind {
    case .lstm: LSTMEquations()
    case .rnn: RNNEquations()
    case .gru: GRUEquations()
    case .rnnReLU: preconditionFailure("KernelSpec refuses rnn_relu: relu RNN layers run on the run-time kernel")
    }
}
