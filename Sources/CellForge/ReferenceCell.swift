/// A plain, runtime-sized implementation of one recurrent cell over arrays.
///
/// Reference cells are the oracle every generated kernel is tested against and
/// the baseline every benchmark compares with, so they are written as obvious
/// loops and never get clever. Their entry points are pre-specialised for Float
/// and Double (`@_specialize`), so the baseline runs as compiled loops rather than
/// through generic witness calls. All entry points validate their arguments and
/// throw `CellForgeError` on bad shapes (including T = 0) before computing anything.
public protocol ReferenceCell<Scalar>: Sendable {
    associatedtype Scalar: CellScalar
    /// The parameters the cell computes with.
    var parameters: CellParameters<Scalar> { get set }

    /// Runs the cell over x_1…x_T from the initial state (zeros where `nil`).
    /// - Parameters:
    ///   - inputs: T ≥ 1 input vectors of length D.
    ///   - initialHidden: h_0 of length H, or `nil` for zeros.
    ///   - initialCell: c_0 of length H for LSTM (must be `nil` for other cells), or `nil` for zeros.
    func forward(_ inputs: [[Scalar]], initialHidden: [Scalar]?, initialCell: [Scalar]?) throws -> SequenceTrace<Scalar>

    /// Backpropagation through time over a trace made by this cell's `forward`.
    /// - Parameters:
    ///   - outputGradients: Δ_t = ∂L/∂h_t from outside the cell for every step (T vectors of length H).
    ///   - finalHiddenGradient: extra ∂L/∂h_T, or `nil` for zero.
    ///   - finalCellGradient: ∂L/∂c_T for LSTM, or `nil` for zero.
    func backward(_ trace: SequenceTrace<Scalar>, outputGradients: [[Scalar]],
                  finalHiddenGradient: [Scalar]?, finalCellGradient: [Scalar]?) throws -> SequenceGradients<Scalar>
}

extension ReferenceCell {
    /// H, the number of hidden units.
    public var hiddenSize: Int { parameters.hiddenSize }
    /// D, the input length.
    public var inputSize: Int { parameters.inputSize }
    /// The cell kind.
    public var kind: CellKind { parameters.kind }

    /// `forward` from zero initial state.
    public func forward(_ inputs: [[Scalar]]) throws -> SequenceTrace<Scalar> {
        try forward(inputs, initialHidden: nil, initialCell: nil)
    }

    /// `backward` with no gradient on the final state.
    public func backward(_ trace: SequenceTrace<Scalar>, outputGradients: [[Scalar]]) throws -> SequenceGradients<Scalar> {
        try backward(trace, outputGradients: outputGradients, finalHiddenGradient: nil, finalCellGradient: nil)
    }

    /// Checks forward's arguments and returns (h_0, c_0) with zeros filled in.
    func validatedInitialState(_ inputs: [[Scalar]], _ h0: [Scalar]?, _ c0: [Scalar]?) throws -> ([Scalar], [Scalar]) {
        guard !inputs.isEmpty else { throw CellForgeError.emptySequence }
        for (t, x) in inputs.enumerated() where x.count != inputSize {
            throw CellForgeError.shapeMismatch(name: "input x_\(t + 1)", expected: "\(inputSize) values", actual: "\(x.count)")
        }
        let h = try vector("initial hidden state h_0", h0, required: true)
        let c = try vector("initial cell state c_0", c0, required: kind == .lstm)
        return (h, c)
    }

    /// Checks backward's arguments and returns (Δ_T extra, δc_T) with zeros filled in.
    func validatedFinalGradients(_ trace: SequenceTrace<Scalar>, _ outputGradients: [[Scalar]],
                                 _ dh: [Scalar]?, _ dc: [Scalar]?) throws -> ([Scalar], [Scalar]) {
        guard trace.kind == kind else { throw CellForgeError.cellMismatch(expected: kind, actual: trace.kind) }
        guard trace.initialHidden.count == hiddenSize, trace.inputs.first?.count == inputSize else {
            throw CellForgeError.shapeMismatch(name: "trace", expected: "H \(hiddenSize), D \(inputSize)",
                                               actual: "H \(trace.initialHidden.count), D \(trace.inputs.first?.count ?? 0)")
        }
        guard outputGradients.count == trace.length else {
            throw CellForgeError.shapeMismatch(name: "output gradients", expected: "\(trace.length) steps",
                                               actual: "\(outputGradients.count)")
        }
        for (t, d) in outputGradients.enumerated() where d.count != hiddenSize {
            throw CellForgeError.shapeMismatch(name: "output gradient Δ_\(t + 1)", expected: "\(hiddenSize) values",
                                               actual: "\(d.count)")
        }
        return (try vector("final hidden gradient", dh, required: true),
                try vector("final cell gradient", dc, required: kind == .lstm))
    }

    private func vector(_ name: String, _ v: [Scalar]?, required: Bool) throws -> [Scalar] {
        guard required else {
            guard v == nil else { throw CellForgeError.invalidArgument("\(name) is only used by LSTM cells; pass nil") }
            return []
        }
        guard let v else { return Array(repeating: 0, count: hiddenSize) }
        guard v.count == hiddenSize else {
            throw CellForgeError.shapeMismatch(name: name, expected: "\(hiddenSize) values", actual: "\(v.count)")
        }
        return v
    }

    /// Zero gradients shaped like this cell's parameters.
    func zeroGradient() -> CellParameters<Scalar> {
        try! CellParameters(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize)
    }
}

/// Matrix-vector pieces the reference cells share: plain loops, canonical layout,
/// pre-specialised for Float and Double like the cells that call them.
enum ReferenceMath {
    /// W·x, one value per gate row (G·H).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func inputProduct<S>(_ p: CellParameters<S>, _ x: [S]) -> [S] {
        var out = [S](repeating: 0, count: p.rowCount)
        for r in 0..<p.rowCount { for j in 0..<p.inputSize { out[r] += p.w(r, j) * x[j] } }
        return out
    }

    /// U·h, one value per gate row (G·H).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func hiddenProduct<S>(_ p: CellParameters<S>, _ h: [S]) -> [S] {
        var out = [S](repeating: 0, count: p.rowCount)
        for r in 0..<p.rowCount { for j in 0..<p.hiddenSize { out[r] += p.u(r, j) * h[j] } }
        return out
    }

    /// Wᵀ·δ, one value per input (D).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func inputGradient<S>(_ p: CellParameters<S>, _ delta: [S]) -> [S] {
        var out = [S](repeating: 0, count: p.inputSize)
        for r in 0..<p.rowCount { for j in 0..<p.inputSize { out[j] += p.w(r, j) * delta[r] } }
        return out
    }

    /// Uᵀ·δ, one value per hidden unit (H).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func hiddenGradient<S>(_ p: CellParameters<S>, _ delta: [S]) -> [S] {
        var out = [S](repeating: 0, count: p.hiddenSize)
        for r in 0..<p.rowCount { for j in 0..<p.hiddenSize { out[j] += p.u(r, j) * delta[r] } }
        return out
    }

    /// δW += δ ⊗ x.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func addInputWeightGradient<S>(_ g: inout CellParameters<S>, _ delta: [S], _ x: [S]) {
        for r in 0..<g.rowCount { for j in 0..<g.inputSize { g.values[g.wOffset + r * g.inputSize + j] += delta[r] * x[j] } }
    }

    /// δU += δ ⊗ h.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func addRecurrentWeightGradient<S>(_ g: inout CellParameters<S>, _ delta: [S], _ h: [S]) {
        for r in 0..<g.rowCount { for j in 0..<g.hiddenSize { g.values[g.uOffset + r * g.hiddenSize + j] += delta[r] * h[j] } }
    }

    /// δb += δ.
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func addBiasGradient<S>(_ g: inout CellParameters<S>, _ delta: [S]) {
        for r in 0..<g.rowCount { g.values[g.bOffset + r] += delta[r] }
    }

    /// δb_hn += δ (H values; GRU only).
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func addRecurrentBiasGradient<S>(_ g: inout CellParameters<S>, _ delta: [S]) {
        for k in 0..<g.hiddenSize { g.values[g.recurrentBiasOffset + k] += delta[k] }
    }
}
