/// Where each CellForge gate block sits in another framework's weights.
///
/// | cell | CellForge    | PyTorch      | Keras        |
/// |------|--------------|--------------|--------------|
/// | LSTM | (a, i, f, o) | (i, f, g, o) | (i, f, c, o) |
/// | GRU  | (r, u, n)    | (r, z, n)    | (z, r, h)    |
/// | RNN  | (h)          | (h)          | (h)          |
///
/// a ≡ g ≡ c is the candidate, u ≡ z the update gate, n ≡ h the GRU candidate.
struct GateOrder {
    /// `foreignBlock[g]` is the index of CellForge gate g's block in the foreign layout.
    let foreignBlock: [Int]

    /// PyTorch's order for `kind`.
    static func pytorch(_ kind: CellKind) -> GateOrder {
        switch kind {
        case .lstm: GateOrder(foreignBlock: [2, 0, 1, 3])
        case .gru: GateOrder(foreignBlock: [0, 1, 2])
        case .rnn, .rnnReLU: GateOrder(foreignBlock: [0])
        }
    }

    /// Keras's order for `kind`.
    static func keras(_ kind: CellKind) -> GateOrder {
        switch kind {
        case .lstm: GateOrder(foreignBlock: [2, 0, 1, 3])
        case .gru: GateOrder(foreignBlock: [1, 0, 2])
        case .rnn, .rnnReLU: GateOrder(foreignBlock: [0])
        }
    }

    /// The foreign row (or column) of CellForge row r = g·H + k.
    func foreignRow(_ r: Int, hiddenSize H: Int) -> Int { foreignBlock[r / H] * H + r % H }
}
