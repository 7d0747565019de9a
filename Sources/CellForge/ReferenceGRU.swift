/// The GRU in the PyTorch formulation, gate order (r, u, n) (PyTorch's z is u), written as plain loops.
///
/// Forward, per step t with h = h_{t−1}:
///
///     r = σ(W_r·x_t + U_r·h + b_r)   u = σ(W_u·x_t + U_u·h + b_u)   hn = U_n·h + b_hn
///     n = tanh(W_n·x_t + b_n + r ⊙ hn)        h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}
///
/// Backward (δh_t includes the recurrent path from t + 1); δz is the input-side
/// δgates, δy the recurrent-side one (the candidate block scaled by r):
///
///     δn_pre = δh_t ⊙ (1 − u) ⊙ (1 − n²)   δu_pre = δh_t ⊙ (h_{t−1} − n) ⊙ u(1 − u)
///     δr_pre = δn_pre ⊙ hn ⊙ r(1 − r)
///     δz = [δr_pre, δu_pre, δn_pre]   δy = [δr_pre, δu_pre, r ⊙ δn_pre]
///     δh_{t−1} = Δ_{t−1} + u ⊙ δh_t + Uᵀ·δy   δx_t = Wᵀ·δz
///     δW = Σ δz ⊗ x_t   δb = Σ δz   δU = Σ δy ⊗ h_{t−1}   δb_hn = Σ r ⊙ δn_pre
public struct ReferenceGRU<Scalar: CellScalar>: ReferenceCell {
    public var parameters: CellParameters<Scalar>

    /// A GRU with the given parameters.
    /// - Throws: `CellForgeError.cellMismatch` unless `parameters.kind == .gru`.
    public init(parameters: CellParameters<Scalar>) throws {
        guard parameters.kind == .gru else { throw CellForgeError.cellMismatch(expected: .gru, actual: parameters.kind) }
        self.parameters = parameters
    }

    /// Runs the GRU; each step's `gates` holds [r, u, n, hn] (4H values), `cell` stays empty.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(_ inputs: [[Scalar]], initialHidden: [Scalar]?, initialCell: [Scalar]?) throws -> SequenceTrace<Scalar> {
        let (h0, _) = try validatedInitialState(inputs, initialHidden, initialCell)
        let H = hiddenSize
        var h = h0
        var hidden: [[Scalar]] = [], gates: [[Scalar]] = []
        for x in inputs {
            let wx = ReferenceMath.inputProduct(parameters, x)
            let uh = ReferenceMath.hiddenProduct(parameters, h)
            var g = [Scalar](repeating: 0, count: 4 * H)
            for k in 0..<H {
                let r = Scalar.sigmoid(wx[k] + uh[k] + parameters.b(k))
                let u = Scalar.sigmoid(wx[H + k] + uh[H + k] + parameters.b(H + k))
                let hn = uh[2 * H + k] + parameters.bhn(k)
                let n = Scalar.tanh(wx[2 * H + k] + parameters.b(2 * H + k) + r * hn)
                g[k] = r; g[H + k] = u; g[2 * H + k] = n; g[3 * H + k] = hn
            }
            for k in 0..<H {
                let (u, n) = (g[H + k], g[2 * H + k])
                h[k] = (1 - u) * n + u * h[k]
            }
            hidden.append(h); gates.append(g)
        }
        return SequenceTrace(kind: .gru, inputs: inputs, initialHidden: h0, initialCell: [],
                             hidden: hidden, cell: [], gates: gates)
    }

    /// BPTT; each step's `gateDeltas` holds [δr_pre, δu_pre, δn_pre, r ⊙ δn_pre] (4H values).
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func backward(_ trace: SequenceTrace<Scalar>, outputGradients: [[Scalar]],
                         finalHiddenGradient: [Scalar]?, finalCellGradient: [Scalar]?) throws -> SequenceGradients<Scalar> {
        var (dhNext, _) = try validatedFinalGradients(trace, outputGradients, finalHiddenGradient, finalCellGradient)
        let H = hiddenSize
        var grads = zeroGradient()
        var dx = [[Scalar]](repeating: [], count: trace.length)
        var gateDeltas = dx, hiddenDeltas = dx
        for t in stride(from: trace.length, through: 1, by: -1) {
            let g = trace.gates[t - 1], hPrev = trace.previousHidden(t)
            var delta = [Scalar](repeating: 0, count: 3 * H)        // δz: input side, rows of W and b
            var recurrentDelta = delta                               // δy: recurrent side, rows of U
            var candidateDelta = [Scalar](repeating: 0, count: H)   // r ⊙ δn_pre, for b_hn
            var direct = candidateDelta, dhStep = candidateDelta
            for k in 0..<H {
                let (r, u, n, hn) = (g[k], g[H + k], g[2 * H + k], g[3 * H + k])
                let dh = outputGradients[t - 1][k] + dhNext[k]
                let dn = dh * (1 - u) * (1 - n * n)
                let du = dh * (hPrev[k] - n) * u * (1 - u)
                let dr = dn * hn * r * (1 - r)
                delta[k] = dr; delta[H + k] = du; delta[2 * H + k] = dn
                recurrentDelta[k] = dr; recurrentDelta[H + k] = du; recurrentDelta[2 * H + k] = r * dn
                candidateDelta[k] = r * dn
                direct[k] = dh * u
                dhStep[k] = dh
            }
            gateDeltas[t - 1] = delta + candidateDelta; hiddenDeltas[t - 1] = dhStep
            dx[t - 1] = ReferenceMath.inputGradient(parameters, delta)
            ReferenceMath.addInputWeightGradient(&grads, delta, trace.inputs[t - 1])
            ReferenceMath.addRecurrentWeightGradient(&grads, recurrentDelta, hPrev)
            ReferenceMath.addBiasGradient(&grads, delta)
            ReferenceMath.addRecurrentBiasGradient(&grads, candidateDelta)
            let viaU = ReferenceMath.hiddenGradient(parameters, recurrentDelta)
            dhNext = (0..<H).map { direct[$0] + viaU[$0] }
        }
        return SequenceGradients(inputs: dx, parameters: grads, initialHidden: dhNext, initialCell: [],
                                 gateDeltas: gateDeltas, hiddenDeltas: hiddenDeltas, cellDeltas: [])
    }
}
