import CellForge

/// GRU (PyTorch formulation), gates (r, u, n):
///
///     r, u = σ(W·x + b + U·h)   hn = U_n·h_{t−1} + b_hn
///     n = tanh(W_n·x + b_n + r ⊙ hn)   h_t = n + u ⊙ (h_{t−1} − n)
///     δn_pre = δh ⊙ (1 − u) ⊙ (1 − n²)
///     upstream = [δn_pre ⊙ hn, δh ⊙ (h_{t−1} − n), δh ⊙ (1 − u)]
///     recurrent-side δz_n = r ⊙ δn_pre;  direct δh_{t−1} path u ⊙ δh
struct GRUEquations: CellEquations {
    var kind: CellKind { .gru }
    var activations: [Activation] { [.sigmoid, .sigmoid, .pointwise] }
    var derivativeActivations: [Activation] { [.sigmoid, .sigmoid, .tanh] }
    var keepsRecurrentProductApart: Bool { true }
    var hasDirectHiddenPath: Bool { true }

    func forwardPart(_ c: PartContext) -> [String] {
        [
            "let r = \(c.gate(0)), u = \(c.gate(1))",
            "let hn = \(c.recurrentProduct(2)) + \(c.recurrentBias)",
            "let n = SIMDMath.tanh(SIMDMath.madd(\(c.inputProduct(2)), r, hn))",
            c.storeGate(2, "n"),
            c.store("hn", "hn"),
            c.store("h", "SIMDMath.madd(n, u, \(c.previous("h")) - n)"),
        ]
    }

    func backwardPart(_ c: PartContext) -> [String] {
        [
            "let r = \(c.gate(0)), u = \(c.gate(1)), n = \(c.gate(2))",
            "let dnPre = dh * (1 - u) * (1 - n * n)",
            c.storeUpstream(0, "dnPre * \(c.current("hn"))"),
            c.storeUpstream(1, "dh * (\(c.previous("h")) - n)"),
            c.storeUpstream(2, "dh * (1 - u)"),
            c.storeRecurrentDelta(2, "r * dnPre"),
            c.storeDirect("u * dh"),
        ]
    }
}
