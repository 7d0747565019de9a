/// The typed intermediate form of a cell's pointwise code: what one step does to one part
/// of the H-vectors, stated once per cell and lowered to Swift by `PointwiseLowering`.
///
/// Values are vectors of one part's lanes; loads and stores name symbolic places (`Slot`),
/// never offsets, so the emitter can analyse what a step reads and writes, and the lowering
/// alone decides where each place lives.

/// A memory area the pointwise code reaches, each passed to the lowered function as one pointer.
enum Area: String, CaseIterable, Comparable {
    /// Parameters.
    case parameters = "w"
    /// The previous step's tape record.
    case previous = "prev"
    /// The current step's tape record.
    case current = "cur"
    /// The current step's gate deltas.
    case delta
    /// The sequence's scratch area.
    case scratch

    static func < (a: Area, b: Area) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    /// Whether the pointwise code may write the area.
    var isWritable: Bool { self != .parameters && self != .previous }
}

/// A symbolic place holding one H-vector (or one gate block) of Hp lanes.
enum Slot: Hashable {
    /// Activated gate block g of the current step.
    case gate(Int)
    /// A record vector ("h", "c", …) of the current step.
    case record(String)
    /// A record vector of the previous step.
    case previousRecord(String)
    /// Carried δ of a state vector ("h": the total δh_t; "c": δc_{t+1} ⊙ f_{t+1}).
    case carry(String)
    /// Upstream value of gate block g (δz = upstream ⊙ act′ follows in one fused pass).
    case upstream(Int)
    /// Recurrent-side δz of gate block g, stored directly (GRU candidate: r ⊙ δn).
    case recurrentDelta(Int)
    /// The direct part of δh_{t−1} (GRU: u ⊙ δh_t).
    case directHiddenGradient
    /// Gate block g of W·x_t + b kept apart from U·h_{t−1}.
    case inputProduct(Int)
    /// Gate block g of U·h_{t−1} kept apart.
    case recurrentProduct(Int)
    /// b_hn, the GRU candidate's recurrent bias.
    case recurrentBias

    /// The area the slot lives in.
    var area: Area {
        switch self {
        case .gate, .record: .current
        case .previousRecord: .previous
        case .carry, .directHiddenGradient, .inputProduct, .recurrentProduct: .scratch
        case .upstream, .recurrentDelta: .delta
        case .recurrentBias: .parameters
        }
    }
}

/// A vector expression.
indirect enum Expr: ExpressibleByIntegerLiteral {
    /// A slot's value.
    case load(Slot)
    /// A named value bound earlier.
    case value(String)
    /// A constant on every lane.
    case constant(Int)
    case add(Expr, Expr)
    case subtract(Expr, Expr)
    case multiply(Expr, Expr)
    /// c + a·b (one FMA where enabled).
    case multiplyAdd(Expr, Expr, Expr)
    /// The vector tanh.
    case tanh(Expr)

    init(integerLiteral value: Int) { self = .constant(value) }

    static func + (a: Expr, b: Expr) -> Expr { .add(a, b) }
    static func - (a: Expr, b: Expr) -> Expr { .subtract(a, b) }
    static func * (a: Expr, b: Expr) -> Expr { .multiply(a, b) }

    /// Every slot the expression loads.
    var loads: [Slot] {
        switch self {
        case let .load(s): [s]
        case .value, .constant: []
        case let .add(a, b), let .subtract(a, b), let .multiply(a, b): a.loads + b.loads
        case let .multiplyAdd(c, a, b): c.loads + a.loads + b.loads
        case let .tanh(a): a.loads
        }
    }
}

/// One statement of pointwise code.
enum Statement {
    /// `let name = expr`.
    case bind(String, Expr)
    /// Writes `expr` to a slot.
    case store(Slot, Expr)
}

/// A cell's pointwise code for one step, built statement by statement.
struct Pointwise {
    private(set) var statements: [Statement] = []

    /// Binds a value and returns a reference to it.
    mutating func bind(_ name: String, _ e: Expr) -> Expr {
        statements.append(.bind(name, e))
        return .value(name)
    }
    /// Binds a slot's value under a name.
    mutating func load(_ name: String, _ slot: Slot) -> Expr { bind(name, .load(slot)) }
    /// Writes a value to a slot.
    mutating func store(_ slot: Slot, _ e: Expr) { statements.append(.store(slot, e)) }

    /// Slots read, in order of first use.
    var reads: [Slot] {
        var seen: [Slot] = []
        for s in statements {
            let loads: [Slot]
            switch s {
            case let .bind(_, e), let .store(_, e): loads = e.loads
            }
            for l in loads where !seen.contains(l) { seen.append(l) }
        }
        return seen
    }
    /// Slots written, in order.
    var writes: [Slot] {
        statements.compactMap { if case let .store(slot, _) = $0 { slot } else { nil } }
    }
    /// The areas the code touches, in a fixed order (the lowered function's parameters).
    var areas: [Area] { Set((reads + writes).map(\.area)).sorted() }
}
