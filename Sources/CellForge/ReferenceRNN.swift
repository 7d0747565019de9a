/// The vanilla tanh RNN of seed 000 (Q3), written as plain loops.
///
///     h_t = tanh(W·x_t + U·h_{t−1} + b)
///     δz_t = (Δ_t + Uᵀ·δz_{t+1}) ⊙ (1 − h_t²)
///     δx_t = Wᵀ·δz_t   δW = Σ δz_t ⊗ x_t   δU = Σ δz_t ⊗ h_{t−1}   δb = Σ δz_t   δh_0 = Uᵀ·δz_1
public struct ReferenceRNN<Scalar: CellScalar>: ReferenceCell {
    public var parameters: CellParameters<Scalar>

    /// A tanh RNN with the given parameters.
    /// - Throws: `CellForgeError.cellMismatch` unless `parameters.kind == .rnn`.
    public init(parameters: CellParameters<Scalar>) throws {
        guard parameters.kind == .rnn else { throw CellForgeError.cellMismatch(expected: .rnn, actual: parameters.kind) }
        self.parameters = parameters
    }

    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(_ inputs: [[Scalar]], initialHidden: [Scalar]?, initialCell: [Scalar]?) throws -> SequenceTrace<Scalar> {
        let (h0, _) = try validatedInitialState(inputs, initialHidden, initialCell)
        var h = h0
        var hidden: [[Scalar]] = []
        for x in inputs {
            let wx = ReferenceMath.inputProduct(parameters, x)
            let uh = ReferenceMath.hiddenProduct(parameters, h)
            h = (0..<hiddenSize).map { Scalar.tanh(wx[$0] + uh[$0] + parameters.b($0)) }
            hidden.append(h)
        }
        return SequenceTrace(kind: .rnn, inputs: inputs, initialHidden: h0, initialCell: [],
                             hidden: hidden, cell: [], gates: hidden)
    }

    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func backward(_ trace: SequenceTrace<Scalar>, outputGradients: [[Scalar]],
                         finalHiddenGradient: [Scalar]?, finalCellGradient: [Scalar]?) throws -> SequenceGradients<Scalar> {
        var (dhNext, _) = try validatedFinalGradients(trace, outputGradients, finalHiddenGradient, finalCellGradient)
        var grads = zeroGradient()
        var dx = [[Scalar]](repeating: [], count: trace.length)
        var gateDeltas = dx, hiddenDeltas = dx
        for t in stride(from: trace.length, through: 1, by: -1) {
            let h = trace.hidden[t - 1]
            var delta = [Scalar](repeating: 0, count: hiddenSize), dhStep = delta
            for k in 0..<hiddenSize {
                dhStep[k] = outputGradients[t - 1][k] + dhNext[k]
                delta[k] = dhStep[k] * (1 - h[k] * h[k])
            }
            gateDeltas[t - 1] = delta; hiddenDeltas[t - 1] = dhStep
            dx[t - 1] = ReferenceMath.inputGradient(parameters, delta)
            ReferenceMath.addInputWeightGradient(&grads, delta, trace.inputs[t - 1])
            ReferenceMath.addRecurrentWeightGradient(&grads, delta, trace.previousHidden(t))
            ReferenceMath.addBiasGradient(&grads, delta)
            dhNext = ReferenceMath.hiddenGradient(parameters, delta)
        }
        return SequenceGradients(inputs: dx, parameters: grads, initialHidden: dhNext, initialCell: [],
                                 gateDeltas: gateDeltas, hiddenDeltas: hiddenDeltas, cellDeltas: [])
    }
}
