import CellForge
import Testing

/// The PyTorch fixtures' state_dicts, mapped into CellParameters and run through the
/// reference cells in Double and Float, reproduce PyTorch's outputs, h_T and c_T.
///
/// Tolerance: PyTorch computed in float32 (ε = 6e-8), so its values carry float32
/// rounding. Each pre-activation sums D + H + 2 ≤ 19 terms (products and the two biases)
/// of magnitude ≲ 1, so it is off by at most (D + H + 2)·ε ≈ 1.1e-6; activations have slope
/// ≤ 1 and the recurrence does not amplify (|f|, |o|, |u| < 1), so after T ≤ 9 steps h_t and
/// c_t are off by at most about 9 · 1.1e-6 ≈ 1e-5. Our Double run is exact by comparison;
/// our Float run adds an error of the same bound. Hence 2e-5 absolute (|h_t| ≤ 1, |c_t| of a
/// few units at most). Measured: ≤ 1.2e-7. A wrong gate order or bias shows up at 1e-2 or more.
@Suite struct TorchFixtureTests {
    static let tolerance = 2e-5

    @Test(arguments: ["torch_lstm_D5_H8", "torch_lstm_D1_H16", "torch_rnn_tanh_D4_H8"])
    func referenceCellReproducesPyTorch(_ name: String) throws {
        let fixture = try WeightsTestSupport.fixture(name)
        let file = try SafeTensors(contentsOf: try WeightsTestSupport.fixtureWeightsURL(name))
        let kind: CellKind = name.contains("lstm") ? .lstm : .rnn
        try check(fixture, PyTorchWeights.parameters(kind, from: file, as: Double.self), name)
        try check(fixture, PyTorchWeights.parameters(kind, from: file, as: Float.self), name)
    }

    func check<S: CellScalar>(_ fixture: Fixture, _ p: CellParameters<S>, _ name: String) throws {
        let cell: any ReferenceCell<S> = p.kind == .lstm ? try ReferenceLSTM(parameters: p) : try ReferenceRNN(parameters: p)
        let run = "\(name) in \(S.typeName)"
        #expect(p.hiddenSize == fixture.h0[0].count && p.inputSize == fixture.x[0][0].count, "\(run): sizes")
        for n in fixture.x.indices {
            let trace = try cell.forward(fixture.x[n].map { $0.map { S($0) } },
                                         initialHidden: fixture.h0[n].map { S($0) },
                                         initialCell: fixture.c0.map { $0[n].map { S($0) } })
            let outputs = WeightsTestSupport.maxDifference(trace.hidden.flatMap { $0 }, fixture.outputs[n].flatMap { $0 })
            #expect(outputs <= Self.tolerance, "\(run) sequence \(n): outputs differ by \(outputs)")
            let hT = WeightsTestSupport.maxDifference(trace.finalHidden, fixture.hT[n])
            #expect(hT <= Self.tolerance, "\(run) sequence \(n): h_T differs by \(hT)")
            if let cT = fixture.cT {
                let d = WeightsTestSupport.maxDifference(trace.finalCell, cT[n])
                #expect(d <= Self.tolerance, "\(run) sequence \(n): c_T differs by \(d)")
            }
        }
    }
}
