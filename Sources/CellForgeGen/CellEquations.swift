import CellForge

/// How a gate block's pre-activation becomes its value.
enum Activation: Equatable {
    case tanh
    case sigmoid
    /// Computed by the cell's own pointwise code (the GRU candidate); the
    /// shared vector activation leaves it alone.
    case pointwise
}

/// One cell's equations, stated once: which activation each gate block gets and
/// the pointwise code for one part of the H-vectors. Everything else (matrix
/// products, the fused lane-group activation and δgates, reductions, the tape)
/// is shared by `KernelEmitter`.
protocol CellEquations {
    /// The cell.
    var kind: CellKind { get }
    /// Forward activation of each gate block, applied to the whole packed group at once.
    var activations: [Activation] { get }
    /// The activation whose derivative δz = upstream ⊙ act′ uses, per gate block.
    var derivativeActivations: [Activation] { get }
    /// Whether U·h_{t−1} is kept apart from W·x_t + b (GRU: its candidate needs r ⊙ (U_n·h + b_hn)).
    var keepsRecurrentProductApart: Bool { get }
    /// Whether δh_{t−1} has a path besides Uᵀ·δz (GRU: u ⊙ δh_t), written with `context.storeDirect`.
    var hasDirectHiddenPath: Bool { get }
    /// State vectors after h whose δ is carried backwards (LSTM: c).
    var carriedStates: [String] { get }
    /// Forward pointwise code for one part: reads gates and the previous record, writes the current record.
    func forwardPart(_ c: PartContext) -> [String]
    /// Backward pointwise code for one part: reads `dh` (total δh_t) and carries, writes the upstream
    /// value of each gate block (δz = upstream ⊙ act′ follows in one fused pass) and updates carries.
    func backwardPart(_ c: PartContext) -> [String]
}

extension CellEquations {
    var derivativeActivations: [Activation] { activations }
    var keepsRecurrentProductApart: Bool { false }
    var hasDirectHiddenPath: Bool { false }
    var carriedStates: [String] { [] }
}

/// The equations for a cell kind.
func equations(for kind: CellKind) -> any CellEquations {
    switch kind {
    case .lstm: LSTMEquations()
    case .rnn: RNNEquations()
    case .gru: GRUEquations()
    }
}

/// Expressions for one part (`partWidth` lanes) of a step, in the names the emitted
/// step uses: `w` parameters, `prev`/`cur` records, `delta` gate deltas, `scratch`.
struct PartContext {
    let layout: KernelLayout
    /// Offset of this part inside an H-vector: a constant or an expression in `m`.
    let offset: String

    private func at(_ base: Int) -> String {
        offset == "0" ? "\(base)" : base == 0 ? offset : "\(base) + \(offset)"
    }

    /// Activated gate g of the current step.
    func gate(_ g: Int) -> String { "part(cur, \(at(layout.gatesOffset + g * layout.paddedHidden)))" }
    /// Stores the value of gate g of the current step (for gates with `.pointwise` activation).
    func storeGate(_ g: Int, _ value: String) -> String {
        "put(\(value), cur, \(at(layout.gatesOffset + g * layout.paddedHidden)))"
    }
    /// A record vector of the current step.
    func current(_ name: String) -> String { "part(cur, \(at(layout.recordOffset(name))))" }
    /// A record vector of the previous step.
    func previous(_ name: String) -> String { "part(prev, \(at(layout.recordOffset(name))))" }
    /// Stores a record vector of the current step.
    func store(_ name: String, _ value: String) -> String { "put(\(value), cur, \(at(layout.recordOffset(name))))" }
    /// Gate block g of W·x_t + b, kept apart (`keepsRecurrentProductApart`).
    func inputProduct(_ g: Int) -> String { "part(scratch, \(at(KernelEmitter.Scratch.inputProduct(layout) + g * layout.paddedHidden)))" }
    /// Gate block g of U·h_{t−1}, kept apart.
    func recurrentProduct(_ g: Int) -> String { "part(scratch, \(at(KernelEmitter.Scratch.recurrentProduct(layout) + g * layout.paddedHidden)))" }
    /// b_hn (GRU).
    var recurrentBias: String { "part(w, \(at(layout.recurrentBiasOffset)))" }
    /// The carried δ of state vector `name`.
    func carry(_ name: String) -> String { "part(scratch, \(at(KernelEmitter.Scratch.carry(layout, name))))" }
    /// Stores the carried δ of state vector `name` (for the previous step).
    func storeCarry(_ name: String, _ value: String) -> String {
        "put(\(value), scratch, \(at(KernelEmitter.Scratch.carry(layout, name))))"
    }
    /// Stores the upstream value of gate block g (δz follows by the fused derivative pass).
    func storeUpstream(_ g: Int, _ value: String) -> String { "put(\(value), delta, \(at(g * layout.paddedHidden)))" }
    /// Stores gate block g of the recurrent-side δz directly (GRU candidate: r ⊙ δn).
    func storeRecurrentDelta(_ g: Int, _ value: String) -> String {
        "put(\(value), delta, \(at(layout.laneCount + g * layout.paddedHidden)))"
    }
    /// Stores the direct part of δh_{t−1} (`hasDirectHiddenPath`).
    func storeDirect(_ value: String) -> String { "put(\(value), scratch, \(at(KernelEmitter.Scratch.direct(layout))))" }
}
