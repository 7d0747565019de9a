import CellForge
import Testing

/// The GRU fixture's state_dict, mapped into CellParameters, reproduces PyTorch's outputs
/// through a few-line Double GRU written from `CellKind.gru`'s equations. This checks the
/// (r, z, n) → (r, u, n) order and the b_n / b_hn split now; TorchGRUFixtureTests does the
/// same through `ReferenceGRU` in Double and Float once that cell is on this branch.
/// Tolerance as in TorchFixtureTests (float32 PyTorch, T = 6, D + H + 2 = 13).
@Suite struct TorchGRUMappingTests {
    @Test func gruFixtureThroughPlainGRU() throws {
        let name = "torch_gru_D3_H8"
        let fixture = try WeightsTestSupport.fixture(name)
        let p = try PyTorchWeights.parameters(.gru, from: SafeTensors(contentsOf: WeightsTestSupport.fixtureWeightsURL(name)),
                                              as: Double.self)
        #expect(p.hiddenSize == 8 && p.inputSize == 3)
        for n in fixture.x.indices {
            var h = fixture.h0[n], outputs: [Double] = []
            for x in fixture.x[n] {
                h = Self.step(p, x, h)
                outputs += h
            }
            let d = WeightsTestSupport.maxDifference(outputs, fixture.outputs[n].flatMap { $0 })
            #expect(d <= TorchFixtureTests.tolerance, "sequence \(n): outputs differ by \(d)")
            #expect(WeightsTestSupport.maxDifference(h, fixture.hT[n]) <= TorchFixtureTests.tolerance, "sequence \(n): h_T")
        }
    }

    /// r = σ(W_r·x + U_r·h + b_r), u = σ(W_u·x + U_u·h + b_u),
    /// n = tanh(W_n·x + b_n + r ⊙ (U_n·h + b_hn)), h' = (1 − u) ⊙ n + u ⊙ h.
    static func step(_ p: CellParameters<Double>, _ x: [Double], _ h: [Double]) -> [Double] {
        let H = p.hiddenSize
        func wx(_ r: Int) -> Double { (0..<p.inputSize).reduce(0) { $0 + p.w(r, $1) * x[$1] } }
        func uh(_ r: Int) -> Double { (0..<H).reduce(0) { $0 + p.u(r, $1) * h[$1] } }
        return (0..<H).map { k in
            let r = Double.sigmoid(wx(k) + uh(k) + p.b(k))
            let u = Double.sigmoid(wx(H + k) + uh(H + k) + p.b(H + k))
            let n = Double.tanh(wx(2 * H + k) + p.b(2 * H + k) + r * (uh(2 * H + k) + p.bhn(k)))
            return (1 - u) * n + u * h[k]
        }
    }
}
