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

    var forward: Pointwise {
        var p = Pointwise()
        let r = p.load("r", .gate(0)), u = p.load("u", .gate(1))
        let hn = p.bind("hn", .load(.recurrentProduct(2)) + .load(.recurrentBias))
        let n = p.bind("n", .tanh(.multiplyAdd(.load(.inputProduct(2)), r, hn)))
        p.store(.gate(2), n)
        p.store(.record("hn"), hn)
        p.store(.record("h"), .multiplyAdd(n, u, .load(.previousRecord("h")) - n))
        return p
    }

    var backward: Pointwise {
        var p = Pointwise()
        let dh = p.load("dh", .carry("h"))
        let r = p.load("r", .gate(0)), u = p.load("u", .gate(1)), n = p.load("n", .gate(2))
        let dnPre = p.bind("dnPre", dh * (1 - u) * (1 - n * n))
        p.store(.upstream(0), dnPre * .load(.record("hn")))
        p.store(.upstream(1), dh * (.load(.previousRecord("h")) - n))
        p.store(.upstream(2), dh * (1 - u))
        p.store(.recurrentDelta(2), r * dnPre)
        p.store(.directHiddenGradient, u * dh)
        return p
    }
}
