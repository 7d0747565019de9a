/// The vanilla RNN of seed 000 (Q3), tanh (`.rnn`) or relu (`.rnnReLU`), written as plain loops.
///
///     h_t = φ(W·x_t + U·h_{t−1} + b)             φ = tanh, or relu(z) = max(z, 0)
///     δz_t = (Δ_t + Uᵀ·δz_{t+1}) ⊙ φ′             φ′ = 1 − h_t² (tanh); 1 where h_t > 0, else 0 (relu, as PyTorch)
///     δx_t = Wᵀ·δz_t   δW = Σ δz_t ⊗ x_t   δU = Σ δz_t ⊗ h_{t−1}   δb = Σ δz_t   δh_0 = Uᵀ·δz_1
public struct ReferenceRNN<Scalar: CellScalar>: ReferenceCell {
    public var parameters: CellParameters<Scalar>

    /// A tanh or relu RNN (by `parameters.kind`) with the given parameters.
    /// - Throws: `CellForgeError.cellMismatch` unless `parameters.kind` is `.rnn` or `.rnnReLU`.
    public init(parameters: CellParameters<Scalar>) throws {
        guard parameters.kind.isSimpleRNN else { throw CellForgeError.cellMismatch(expected: .rnn, actual: parameters.kind) }
        self.parameters = parameters
    }

    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(_ inputs: [[Scalar]], initialHidden: [Scalar]?, initialCell: [Scalar]?) throws -> SequenceTrace<Scalar> {
        let (h0, _) = try validatedInitialState(inputs, initialHidden, initialCell)
        let relu = parameters.kind == .rnnReLU
        var h = h0
        var hidden: [[Scalar]] = []
        for x in inputs {
            let wx = ReferenceMath.inputProduct(parameters, x)
            let uh = ReferenceMath.hiddenProduct(parameters, h)
            h = (0..<hiddenSize).map {
                let z = wx[$0] + uh[$0] + parameters.b($0)
                return relu ? (z > 0 ? z : 0) : Scalar.tanh(z)
            }
            hidden.append(h)
        }
        return SequenceTrace(kind: parameters.kind, inputs: inputs, initialHidden: h0, initialCell: [],
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
        let relu = parameters.kind == .rnnReLU
        for t in stride(from: trace.length, through: 1, by: -1) {
            let h = trace.hidden[t - 1]
            var delta = [Scalar](repeating: 0, count: hiddenSize), dhStep = delta
            for k in 0..<hiddenSize {
                dhStep[k] = outputGradients[t - 1][k] + dhNext[k]
                delta[k] = relu ? (h[k] > 0 ? dhStep[k] : 0) : dhStep[k] * (1 - h[k] * h[k])
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
