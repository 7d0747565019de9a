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

    var forward: Pointwise {
        var p = Pointwise()
        let a = p.load("a", .gate(0)), i = p.load("i", .gate(1)), f = p.load("f", .gate(2)), o = p.load("o", .gate(3))
        let c = p.bind("c", .multiplyAdd(f * .load(.previousRecord("c")), a, i))
        let tanhC = p.bind("tanhC", .tanh(c))
        p.store(.record("c"), c)
        p.store(.record("tanhC"), tanhC)
        p.store(.record("h"), tanhC * o)
        return p
    }

    var backward: Pointwise {
        var p = Pointwise()
        let dh = p.load("dh", .carry("h"))
        let a = p.load("a", .gate(0)), i = p.load("i", .gate(1)), f = p.load("f", .gate(2)), o = p.load("o", .gate(3))
        let tanhC = p.load("tanhC", .record("tanhC"))
        let dc = p.bind("dc", .multiplyAdd(.load(.carry("c")), dh * o, 1 - tanhC * tanhC))
        p.store(.upstream(0), dc * i)
        p.store(.upstream(1), dc * a)
        p.store(.upstream(2), dc * .load(.previousRecord("c")))
        p.store(.upstream(3), dh * tanhC)
        p.store(.carry("c"), dc * f)
        return p
    }
}
