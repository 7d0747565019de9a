/// The recurrent cells CellForge knows, with the facts every layer shares.
///
/// Equations (x_t input, h_{t−1} previous output, z = W·x_t + U·h_{t−1} + b):
/// - `lstm`: gates (a, i, f, o): a = tanh(z_a), i = σ(z_i), f = σ(z_f), o = σ(z_o);
///   c_t = a ⊙ i + f ⊙ c_{t−1}; h_t = tanh(c_t) ⊙ o.
/// - `rnn`: h_t = tanh(z).
/// - `gru` (PyTorch formulation), gates (r, u, n):
///   r = σ(W_r·x + U_r·h + b_r), u = σ(W_u·x + U_u·h + b_u),
///   n = tanh(W_n·x + b_n + r ⊙ (U_n·h + b_hn)), h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}.
public enum CellKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case lstm
    case rnn
    case gru

    /// Number of gate blocks of H rows in W, U and b (4, 1, 3).
    public var gateCount: Int {
        switch self {
        case .lstm: 4
        case .rnn: 1
        case .gru: 3
        }
    }

    /// Gate names in CellForge order, one per block of H rows.
    public var gateNames: [String] {
        switch self {
        case .lstm: ["a", "i", "f", "o"]
        case .rnn: ["h"]
        case .gru: ["r", "u", "n"]
        }
    }

    /// Number of H-sized state vectors carried between steps: (h, c) for LSTM, h otherwise.
    public var stateVectorCount: Int { self == .lstm ? 2 : 1 }

    /// Whether the cell has the extra recurrent candidate bias b_hn (GRU only).
    public var hasRecurrentCandidateBias: Bool { self == .gru }

    /// Display name used in messages and generated type names ("LSTM", "RNN", "GRU").
    public var displayName: String { rawValue.uppercased() }

    public var description: String { displayName }
}
