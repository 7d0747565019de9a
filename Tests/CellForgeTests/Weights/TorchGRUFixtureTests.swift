import CellForge
import Testing

/// The GRU fixture through `ReferenceGRU` in Double and Float, like TorchFixtureTests
/// for LSTM and RNN, with the same tolerance (T = 6, D + H + 2 = 13 here).
@Suite struct TorchGRUFixtureTests {
    @Test func referenceGRUReproducesPyTorch() throws {
        let name = "torch_gru_D3_H8"
        let fixture = try WeightsTestSupport.fixture(name)
        let file = try SafeTensors(contentsOf: WeightsTestSupport.fixtureWeightsURL(name))
        try check(fixture, PyTorchWeights.parameters(.gru, from: file, as: Double.self))
        try check(fixture, PyTorchWeights.parameters(.gru, from: file, as: Float.self))
    }

    func check<S: CellScalar>(_ fixture: Fixture, _ p: CellParameters<S>) throws {
        let gru = try ReferenceGRU(parameters: p)
        for n in fixture.x.indices {
            let trace = try gru.forward(fixture.x[n].map { $0.map { S($0) } },
                                        initialHidden: fixture.h0[n].map { S($0) }, initialCell: nil)
            let outputs = WeightsTestSupport.maxDifference(trace.hidden.flatMap { $0 }, fixture.outputs[n].flatMap { $0 })
            #expect(outputs <= TorchFixtureTests.tolerance, "\(S.typeName) sequence \(n): outputs differ by \(outputs)")
            let hT = WeightsTestSupport.maxDifference(trace.finalHidden, fixture.hT[n])
            #expect(hT <= TorchFixtureTests.tolerance, "\(S.typeName) sequence \(n): h_T differs by \(hT)")
        }
    }
}
