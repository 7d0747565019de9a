/// The cells the benchmarks know, by the names the JSON schema uses.
public enum Cell: String, Codable, CaseIterable, Sendable, Comparable {
    case lstm
    case gru
    case rnn

    /// G, the number of gate blocks of H rows in W and U (4, 3, 1).
    public var gateCount: Int {
        switch self {
        case .lstm: 4
        case .gru: 3
        case .rnn: 1
        }
    }

    /// "LSTM", "GRU", "RNN".
    public var displayName: String { rawValue.uppercased() }

    public static func < (a: Cell, b: Cell) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What a benchmark result measures.
public enum Mode: String, Codable, CaseIterable, Sendable, Comparable {
    /// Per-block latency: one sequence, forward only, no tape, one `forward` call of length T
    /// with the state carried from call to call: time per step.
    case latency
    /// Per-sample streaming latency: the same sequence as `latency`, one `forward` call of
    /// length 1 per sample (T calls), the state carried: time per step. Over `latency` it is
    /// the cost of single-step calls against block streaming.
    case streaming
    /// N sequences of T steps, forward only (inference): throughput.
    case forward
    /// N sequences of T steps, forward with tape + backward (with δx) + one SGD step per batch.
    case training

    public static func < (a: Mode, b: Mode) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Floating-point operations per sequence-step (DESIGN.md, "Performance model").
///
/// Forward: the matrix-vector products W·x and U·h for G gate blocks of H rows,
/// 2·G·H·(D + H) (8·H·(D + H) for the LSTM); activations and element-wise work are
/// not counted. Backward (δW, δU, δx, δh) is twice that, so a training step is
/// 3× forward: 24·H·(D + H) for the LSTM. The SGD update is once per batch and not
/// counted. Latency and streaming count the forward flops.
public enum FlopModel {
    /// Flops of one forward step.
    public static func forward(_ cell: Cell, hidden: Int, input: Int) -> Double {
        2 * Double(cell.gateCount) * Double(hidden) * Double(input + hidden)
    }

    /// Flops of one step of `mode`.
    public static func perStep(_ cell: Cell, hidden: Int, input: Int, mode: Mode) -> Double {
        let f = forward(cell, hidden: hidden, input: input)
        return mode == .training ? 3 * f : f
    }
}
