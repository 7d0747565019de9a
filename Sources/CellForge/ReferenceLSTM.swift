/// The LSTM of seeds 000–004, gate order (a, i, f, o), written as plain loops.
///
/// Forward, per step t with z = W·x_t + U·h_{t−1} + b:
///
///     a = tanh(z_a)  i = σ(z_i)  f = σ(z_f)  o = σ(z_o)
///     c_t = a ⊙ i + f ⊙ c_{t−1}        h_t = tanh(c_t) ⊙ o
///
/// Backward (δh_t includes the recurrent path from t + 1):
///
///     δh_t = Δ_t + Uᵀ·δgates_{t+1}
///     δc_t = δh_t ⊙ o ⊙ (1 − tanh²c_t) + δc_{t+1} ⊙ f_{t+1}
///     δgates_t = [δc ⊙ i ⊙ (1 − a²), δc ⊙ a ⊙ i(1 − i), δc ⊙ c_{t−1} ⊙ f(1 − f), δh ⊙ tanh c_t ⊙ o(1 − o)]
///     δx_t = Wᵀ·δgates_t   δW = Σ δgates_t ⊗ x_t   δU = Σ δgates_t ⊗ h_{t−1}   δb = Σ δgates_t
public struct ReferenceLSTM<Scalar: CellScalar>: ReferenceCell {
    public var parameters: CellParameters<Scalar>

    /// An LSTM with the given parameters.
    /// - Throws: `CellForgeError.cellMismatch` unless `parameters.kind == .lstm`.
    public init(parameters: CellParameters<Scalar>) throws {
        guard parameters.kind == .lstm else { throw CellForgeError.cellMismatch(expected: .lstm, actual: parameters.kind) }
        self.parameters = parameters
    }

    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(_ inputs: [[Scalar]], initialHidden: [Scalar]?, initialCell: [Scalar]?) throws -> SequenceTrace<Scalar> {
        let (h0, c0) = try validatedInitialState(inputs, initialHidden, initialCell)
        let H = hiddenSize
        var h = h0, c = c0
        var hidden: [[Scalar]] = [], cells: [[Scalar]] = [], gates: [[Scalar]] = []
        for x in inputs {
            let wx = ReferenceMath.inputProduct(parameters, x)
            let uh = ReferenceMath.hiddenProduct(parameters, h)
            var g = [Scalar](repeating: 0, count: 4 * H)
            for r in 0..<(4 * H) {
                let z = wx[r] + uh[r] + parameters.b(r)
                g[r] = r < H ? Scalar.tanh(z) : Scalar.sigmoid(z)
            }
            for k in 0..<H {
                let (a, i, f, o) = (g[k], g[H + k], g[2 * H + k], g[3 * H + k])
                c[k] = a * i + f * c[k]
                h[k] = Scalar.tanh(c[k]) * o
            }
            hidden.append(h); cells.append(c); gates.append(g)
        }
        return SequenceTrace(kind: .lstm, inputs: inputs, initialHidden: h0, initialCell: c0,
                             hidden: hidden, cell: cells, gates: gates)
    }

    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func backward(_ trace: SequenceTrace<Scalar>, outputGradients: [[Scalar]],
                         finalHiddenGradient: [Scalar]?, finalCellGradient: [Scalar]?) throws -> SequenceGradients<Scalar> {
        var (dhNext, dcNext) = try validatedFinalGradients(trace, outputGradients, finalHiddenGradient, finalCellGradient)
        let H = hiddenSize
        var grads = zeroGradient()
        var dx = [[Scalar]](repeating: [], count: trace.length)
        var gateDeltas = dx, hiddenDeltas = dx, cellDeltas = dx
        for t in stride(from: trace.length, through: 1, by: -1) {
            let g = trace.gates[t - 1], cPrev = trace.previousCell(t), c = trace.cell[t - 1]
            var delta = [Scalar](repeating: 0, count: 4 * H)
            var dcPrev = [Scalar](repeating: 0, count: H)
            var dhStep = dcPrev, dcStep = dcPrev
            for k in 0..<H {
                let (a, i, f, o) = (g[k], g[H + k], g[2 * H + k], g[3 * H + k])
                let tc = Scalar.tanh(c[k])
                let dh = outputGradients[t - 1][k] + dhNext[k]
                let dc = dh * o * (1 - tc * tc) + dcNext[k]
                delta[k] = dc * i * (1 - a * a)
                delta[H + k] = dc * a * i * (1 - i)
                delta[2 * H + k] = dc * cPrev[k] * f * (1 - f)
                delta[3 * H + k] = dh * tc * o * (1 - o)
                dcPrev[k] = dc * f
                dhStep[k] = dh
                dcStep[k] = dc
            }
            gateDeltas[t - 1] = delta; hiddenDeltas[t - 1] = dhStep; cellDeltas[t - 1] = dcStep
            dx[t - 1] = ReferenceMath.inputGradient(parameters, delta)
            ReferenceMath.addInputWeightGradient(&grads, delta, trace.inputs[t - 1])
            ReferenceMath.addRecurrentWeightGradient(&grads, delta, trace.previousHidden(t))
            ReferenceMath.addBiasGradient(&grads, delta)
            dhNext = ReferenceMath.hiddenGradient(parameters, delta)
            dcNext = dcPrev
        }
        return SequenceGradients(inputs: dx, parameters: grads, initialHidden: dhNext, initialCell: dcNext,
                                 gateDeltas: gateDeltas, hiddenDeltas: hiddenDeltas, cellDeltas: cellDeltas)
    }
}
