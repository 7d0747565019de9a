import CellForge

/// Tanh RNN: h_t = tanh(z); upstream = δh.
struct RNNEquations: CellEquations {
    var kind: CellKind { .rnn }
    var activations: [Activation] { [.tanh] }

    func forwardPart(_ c: PartContext) -> [String] {
        [c.store("h", c.gate(0))]
    }

    func backwardPart(_ c: PartContext) -> [String] {
        [c.storeUpstream(0, "dh")]
    }
}
