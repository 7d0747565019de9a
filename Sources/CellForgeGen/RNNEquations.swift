import CellForge

/// Tanh RNN: h_t = tanh(z); upstream = δh.
struct RNNEquations: CellEquations {
    var kind: CellKind { .rnn }
    var activations: [Activation] { [.tanh] }

    var forward: Pointwise {
        var p = Pointwise()
        p.store(.record("h"), .load(.gate(0)))
        return p
    }

    var backward: Pointwise {
        var p = Pointwise()
        p.store(.upstream(0), .load(.carry("h")))
        return p
    }
}
