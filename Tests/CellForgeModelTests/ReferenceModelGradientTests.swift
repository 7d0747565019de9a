import CellForge
import Testing

/// The reference model's backward pass against central finite differences in Double through
/// the whole stack: an LSTM, a GRU and an RNN layer stacked, a sigmoid head, non-zero initial
/// states, and a loss that also weighs the final state (so the final-state gradient path counts).
@Suite struct ReferenceModelGradientTests {
    /// L = Σ_t r_t·y_t + Σ s·(final state): linear in the outputs with fixed random weights.
    func loss(_ model: ReferenceModel<Double>, _ x: [[Double]], _ h0: [Double], _ r: [[Double]], _ s: [Double]) throws -> Double {
        let trace = try model.forward(x, initialState: h0)
        var sum = zip(trace.outputs, r).reduce(0.0) { $0 + zip($1.0, $1.1).reduce(0) { $0 + $1.0 * $1.1 } }
        sum += zip(trace.finalState, s).reduce(0) { $0 + $1.0 * $1.1 }
        return sum
    }

    /// An LSTM, a GRU and an RNN stacked under a dense layer and a sigmoid.
    @Test func backwardMatchesFiniteDifferences() throws {
        let architecture = try ModelArchitecture(recurrent: [
            RecurrentLayerShape(kind: .lstm, hiddenSize: 4, inputSize: 3),
            RecurrentLayerShape(kind: .gru, hiddenSize: 3, inputSize: 4),
            RecurrentLayerShape(kind: .rnn, hiddenSize: 2, inputSize: 3),
        ], head: 2, activation: .sigmoid)
        var rng = SplitMix64(seed: 77)
        let p = ModelParameters<Double>.random(architecture, seed: 5)
        let T = 4
        let x = (0..<T).map { _ in (0..<3).map { _ in rng.nextSigned(Double.self) } }
        let h0 = (0..<(8 + 3 + 2)).map { _ in rng.nextSigned(Double.self) / 2 }
        let r = (0..<T).map { _ in (0..<2).map { _ in rng.nextSigned(Double.self) } }
        let s = h0.map { _ in rng.nextSigned(Double.self) }
        try checkAgainstFiniteDifferences(p, x: x, h0: h0, r: r, s: s)
    }

    /// Every layer kind, dense layers first and between recurrent ones, in one model: the same
    /// finite-difference check (the kinks of relu, leaky ReLU, PReLU and ELU at 0 are met with
    /// probability ~1e-6 per value at these random inputs).
    @Test func mixedModelBackwardMatchesFiniteDifferences() throws {
        let a = { (kind: ActivationKind, size: Int) in LayerShape.activation(try! ActivationLayerShape(kind: kind, size: size)) }
        let d = { (i: Int, o: Int) in LayerShape.dense(try! DenseLayerShape(inputSize: i, outputSize: o)) }
        let architecture = try ModelArchitecture(layers: [
            d(3, 5), a(.tanh, 5), .recurrent(RecurrentLayerShape(kind: .lstm, hiddenSize: 4, inputSize: 5)), a(.prelu, 4),
            d(4, 6), a(.leakyReLU(slope: 0.1), 6), a(.relu, 6), .recurrent(RecurrentLayerShape(kind: .gru, hiddenSize: 3, inputSize: 6)),
            a(.elu(alpha: 0.7), 3), .recurrent(RecurrentLayerShape(kind: .rnn, hiddenSize: 3, inputSize: 3)), a(.sigmoid, 3),
            d(3, 4), a(.identity, 4), a(.softmax, 4),
        ])
        var rng = SplitMix64(seed: 78)
        var p = ModelParameters<Double>.random(architecture, seed: 6)
        for l in p.layers.indices { p.layers[l].values = p.layers[l].values.map { _ in rng.nextSigned(Double.self) } }
        let T = 4
        let x = (0..<T).map { _ in (0..<3).map { _ in rng.nextSigned(Double.self) } }
        let h0 = (0..<(8 + 3 + 3)).map { _ in rng.nextSigned(Double.self) / 2 }
        let r = (0..<T).map { _ in (0..<4).map { _ in rng.nextSigned(Double.self) } }
        let s = h0.map { _ in rng.nextSigned(Double.self) }
        let g = try checkAgainstFiniteDifferences(p, x: x, h0: h0, r: r, s: s)
        #expect(g.parameters.layers[3].values.contains { $0 != 0 }, "PReLU slopes get a gradient")
    }

    /// The reference model's gradients of `loss` for `p` at (x, h0, r, s), each checked against
    /// central differences with step 1e-6 (truncation ~h²·f‴ ≈ 1e-12, rounding ε·|L|/h ≈ 1e-10;
    /// 1e-6 of the largest gradient leaves room and catches any wrong term, ≥ 1e-3): every
    /// parameter, every input, every initial-state value.
    @discardableResult
    func checkAgainstFiniteDifferences(_ p: ModelParameters<Double>, x: [[Double]], h0: [Double], r: [[Double]], s: [Double])
    throws -> ReferenceModel<Double>.Gradients {
        let model = try ReferenceModel(parameters: p)
        let g = try model.backward(try model.forward(x, initialState: h0), outputGradients: r, finalStateGradient: s)
        let step = 1e-6
        func difference(_ perturbed: (Double) throws -> Double) rethrows -> Double {
            (try perturbed(step) - perturbed(-step)) / (2 * step)
        }
        let flat = ModelTestSupport.flat(p)
        let numeric = try flat.indices.map { k in
            try difference { d in
                var q = flat
                q[k] += d
                return try loss(ReferenceModel(parameters: Self.unflatten(q, like: p)), x, h0, r, s)
            }
        }
        let analytic = ModelTestSupport.flat(g.parameters)
        #expect(relativeError(analytic, numeric) <= 1e-6, "parameters: \(relativeError(analytic, numeric))")
        let D = x[0].count
        let dx = try (0..<(x.count * D)).map { k in
            try difference { d in var xs = x; xs[k / D][k % D] += d; return try loss(model, xs, h0, r, s) }
        }
        #expect(relativeError(g.inputs.flatMap { $0 }, dx) <= 1e-6)
        let dh0 = try h0.indices.map { k in try difference { d in var h = h0; h[k] += d; return try loss(model, x, h, r, s) } }
        #expect(relativeError(g.initialState, dh0) <= 1e-6)
        return g
    }

    /// Parameters of `p`'s architecture holding the flat canonical `values`.
    static func unflatten(_ values: [Double], like p: ModelParameters<Double>) throws -> ModelParameters<Double> {
        var q = p, k = 0
        for l in q.layers.indices {
            q.layers[l].values = Array(values[k..<(k + p.layers[l].values.count)])
            k += p.layers[l].values.count
        }
        return q
    }
}
