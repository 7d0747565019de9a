import CellForge

/// LSTM, gates (a, i, f, o):
///
///     c_t = a ⊙ i + f ⊙ c_{t−1}    h_t = tanh(c_t) ⊙ o
///     δc = δh ⊙ o ⊙ (1 − tanh²c_t) + δc_{t+1} ⊙ f_{t+1}
///     upstream = [δc ⊙ i, δc ⊙ a, δc ⊙ c_{t−1}, δh ⊙ tanh c_t];  carry δc ⊙ f
struct LSTMEquations: CellEquations {
    var kind: CellKind { .lstm }
    var activations: [Activation] { [.tanh, .sigmoid, .sigmoid, .sigmoid] }
    var carriedStates: [String] { ["c"] }

    func forwardPart(_ c: PartContext) -> [String] {
        [
            "let a = \(c.gate(0)), i = \(c.gate(1)), f = \(c.gate(2)), o = \(c.gate(3))",
            "let c = SIMDMath.madd(f * \(c.previous("c")), a, i)",
            "let tanhC = SIMDMath.tanh(c)",
            c.store("c", "c"),
            c.store("tanhC", "tanhC"),
            c.store("h", "tanhC * o"),
        ]
    }

    func backwardPart(_ c: PartContext) -> [String] {
        [
            "let a = \(c.gate(0)), i = \(c.gate(1)), f = \(c.gate(2)), o = \(c.gate(3))",
            "let tanhC = \(c.current("tanhC"))",
            "let dc = SIMDMath.madd(\(c.carry("c")), dh * o, 1 - tanhC * tanhC)",
            c.storeUpstream(0, "dc * i"),
            c.storeUpstream(1, "dc * a"),
            c.storeUpstream(2, "dc * \(c.previous("c"))"),
            c.storeUpstream(3, "dh * tanhC"),
            c.storeCarry("c", "dc * f"),
        ]
    }
}
