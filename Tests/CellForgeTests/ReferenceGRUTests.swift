import CellForge
import Testing

/// `ReferenceGRU` on one hand-computed step, and its argument checks.
@Suite struct ReferenceGRUTests {
    static let tolerance = 1e-10

    /// H = 1, D = 1, gates (r, u, n): W = [0.5, −0.4, 0.3], U = [0.2, 0.6, −0.7],
    /// b = [0.1, −0.2, 0.05], b_hn = 0.25.
    let parameters = try! CellParameters<Double>(kind: .gru, hiddenSize: 1, inputSize: 1,
                                                 W: [0.5, -0.4, 0.3], U: [0.2, 0.6, -0.7], b: [0.1, -0.2, 0.05],
                                                 recurrentBias: [0.25])

    func expectClose(_ actual: [Double], _ expected: [Double], _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): count", sourceLocation: sourceLocation)
        for (k, (a, e)) in zip(actual, expected).enumerated() {
            #expect(abs(a - e) <= Self.tolerance, "\(what)[\(k)] = \(a), expected \(e)", sourceLocation: sourceLocation)
        }
    }

    /// x = 0.8, h_0 = 0.5, Δ_1 = 0.6 (so L = 0.6·h_1). Expected values computed in
    /// Python (double precision, math.exp/math.tanh) from these lines, and the ten
    /// parameter gradients, δx and δh_0 confirmed there by central differences of L (≤ 2e-11):
    ///
    ///     z_r = 0.5·0.8 + 0.2·0.5 + 0.1 = 0.6          r  = σ(0.6)   = 0.645656306226
    ///     z_u = −0.4·0.8 + 0.6·0.5 − 0.2 = −0.22       u  = σ(−0.22) = 0.445220764893
    ///     hn  = −0.7·0.5 + 0.25 = −0.1
    ///     z_n = 0.3·0.8 + 0.05 + r·hn = 0.225434369377  n  = tanh(z_n) = 0.221691529016
    ///     h_1 = (1 − u)·n + u·0.5 = 0.345600239344
    ///     δn_pre = 0.6·(1 − u)·(1 − n²)     = 0.316508055407
    ///     δu_pre = 0.6·(0.5 − n)·u·(1 − u)  = 0.041245187723
    ///     δr_pre = δn_pre·hn·r·(1 − r)      = −0.007241205505
    ///     r·δn_pre                          = 0.204355421945
    ///     δW = 0.8·[δr_pre, δu_pre, δn_pre] = [−0.005792964404, 0.032996150179, 0.253206444326]
    ///     δU = 0.5·[δr_pre, δu_pre, r·δn_pre] = [−0.003620602753, 0.020622593862, 0.102177710972]
    ///     δb = [δr_pre, δu_pre, δn_pre],  δb_hn = r·δn_pre
    ///     δx   = 0.5·δr_pre − 0.4·δu_pre + 0.3·δn_pre = 0.074833738780
    ///     δh_0 = u·0.6 + 0.2·δr_pre + 0.6·δu_pre − 0.7·r·δn_pre = 0.147382535107
    @Test func singleStepByHand() throws {
        let gru = try ReferenceGRU(parameters: parameters)
        let trace = try gru.forward([[0.8]], initialHidden: [0.5], initialCell: nil)
        expectClose(trace.gates[0], [0.645656306226, 0.445220764893, 0.221691529016, -0.1], "[r, u, n, hn]")
        expectClose(trace.hidden[0], [0.345600239344], "h_1")
        #expect(trace.cell.isEmpty && trace.initialCell.isEmpty)

        let g = try gru.backward(trace, outputGradients: [[0.6]])
        expectClose(g.gateDeltas[0], [-0.007241205505, 0.041245187723, 0.316508055407, 0.204355421945], "gate deltas")
        expectClose(g.hiddenDeltas[0], [0.6], "δh_1")
        #expect(g.cellDeltas.isEmpty && g.initialCell.isEmpty)
        expectClose(Array(g.parameters.W), [-0.005792964404, 0.032996150179, 0.253206444326], "δW")
        expectClose(Array(g.parameters.U), [-0.003620602753, 0.020622593862, 0.102177710972], "δU")
        expectClose(Array(g.parameters.b), [-0.007241205505, 0.041245187723, 0.316508055407], "δb")
        expectClose(Array(g.parameters.recurrentBias), [0.204355421945], "δb_hn")
        expectClose(g.inputs[0], [0.074833738780], "δx_1")
        expectClose(g.initialHidden, [0.147382535107], "δh_0")
    }

    @Test func rejectsOtherKindsAndCellState() throws {
        let lstm = try CellParameters<Double>.random(kind: .lstm, hiddenSize: 1, inputSize: 1, seed: 1)
        let rnn = try CellParameters<Double>.random(kind: .rnn, hiddenSize: 1, inputSize: 1, seed: 1)
        #expect(throws: CellForgeError.cellMismatch(expected: .gru, actual: .lstm)) { try ReferenceGRU(parameters: lstm) }
        #expect(throws: CellForgeError.cellMismatch(expected: .gru, actual: .rnn)) { try ReferenceGRU(parameters: rnn) }
        let gru = try ReferenceGRU(parameters: parameters)
        #expect(throws: CellForgeError.self) { try gru.forward([[0.8]], initialHidden: nil, initialCell: [0]) }
    }
}
