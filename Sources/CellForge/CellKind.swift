/// The recurrent cells CellForge knows, with the facts every layer shares.
///
/// Equations (x_t input, h_{t−1} previous output, z = W·x_t + U·h_{t−1} + b):
/// - `lstm`: gates (a, i, f, o): a = tanh(z_a), i = σ(z_i), f = σ(z_f), o = σ(z_o);
///   c_t = a ⊙ i + f ⊙ c_{t−1}; h_t = tanh(c_t) ⊙ o.
/// - `rnn`: h_t = tanh(z).
/// - `rnnReLU`: h_t = relu(z) = max(z, 0), with relu′(0) = 0 (PyTorch `nn.RNN(nonlinearity='relu')`);
///   parameters, gate order and state exactly as `rnn`.
/// - `gru` (PyTorch formulation), gates (r, u, n):
///   r = σ(W_r·x + U_r·h + b_r), u = σ(W_u·x + U_u·h + b_u),
///   n = tanh(W_n·x + b_n + r ⊙ (U_n·h + b_hn)), h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}.
public enum CellKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case lstm
    case rnn
    case gru
    case rnnReLU = "rnn_relu"

    /// Number of gate blocks of H rows in W, U and b (4, 1, 3).
    public var gateCount: Int {
        switch self {
        case .lstm: 4
        case .rnn, .rnnReLU: 1
        case .gru: 3
        }
    }

    /// Gate names in CellForge order, one per block of H rows.
    public var gateNames: [String] {
        switch self {
        case .lstm: ["a", "i", "f", "o"]
        case .rnn, .rnnReLU: ["h"]
        case .gru: ["r", "u", "n"]
        }
    }

    /// Number of H-sized state vectors carried between steps: (h, c) for LSTM, h otherwise.
    public var stateVectorCount: Int { self == .lstm ? 2 : 1 }

    /// Whether the cell has the extra recurrent candidate bias b_hn (GRU only).
    public var hasRecurrentCandidateBias: Bool { self == .gru }

    /// Whether the cell is a plain RNN (one gate, h_t = φ(z)), tanh or relu.
    public var isSimpleRNN: Bool { self == .rnn || self == .rnnReLU }

    /// Display name used in messages and generated type names ("LSTM", "RNN", "GRU", "RNNReLU").
    public var displayName: String { self == .rnnReLU ? "RNNReLU" : rawValue.uppercased() }

    public var description: String { displayName }
}
