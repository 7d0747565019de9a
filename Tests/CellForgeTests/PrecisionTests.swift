import CellForge
import Testing

/// Float and Double runs of the same reference cell agree.
///
/// Tolerance: each output or gradient is a chain of about T·(H + D) multiply-adds
/// and activations whose condition numbers are O(1) with weights in [−0.5, 0.5], so
/// Float's rounding (ε = 6e-8) accumulates to at most T·(H + D)·ε ≈ 16·14·6e-8 ≈ 1.3e-5
/// relative to the tensor's largest magnitude; 5e-5 leaves a margin for the libm
/// tanhf/expf errors (≤ 2 ulp) while still catching any real formula difference,
/// which shows up at 1e-2 or more.
@Suite struct PrecisionTests {
    static let tolerance = 5e-5

    @Test(arguments: [CellKind.lstm, .rnn, .gru]) func floatMatchesDouble(_ kind: CellKind) throws {
        let (H, D, T) = (6, 8, 16)
        var rng = SplitMix64(seed: 7)
        let pd = try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, scale: 0.5, seed: 3)
        let pf: CellParameters<Float> = pd.converted()
        let xd: [[Double]] = TestSupport.sequence(T, D, &rng)
        let rd: [[Double]] = TestSupport.sequence(T, H, &rng)
        let xf = xd.map { $0.map(Float.init) }, rf = rd.map { $0.map(Float.init) }

        let cd = try TestSupport.cell(pd), cf = try TestSupport.cell(pf)
        let td = try cd.forward(xd), tf = try cf.forward(xf)
        let gd = try cd.backward(td, outputGradients: rd), gf = try cf.backward(tf, outputGradients: rf)

        compare(tf.hidden.flatMap { $0 }, td.hidden.flatMap { $0 }, "outputs")
        compare(gf.parameters.values, gd.parameters.values, "parameter gradients")
        compare(gf.inputs.flatMap { $0 }, gd.inputs.flatMap { $0 }, "input gradients")
        compare(gf.initialHidden, gd.initialHidden, "δh_0")
    }

    func compare(_ f: [Float], _ d: [Double], _ what: String) {
        let scale = d.map(abs).max() ?? 0
        #expect(scale > 0)
        let worst = zip(f, d).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst <= Self.tolerance * scale, "\(what): max difference \(worst), scale \(scale)")
    }
}
