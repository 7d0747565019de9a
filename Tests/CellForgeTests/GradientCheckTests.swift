import CellForge
import Testing

/// Backward through time of every reference cell against central finite
/// differences in Double, for every gradient output.
@Suite struct GradientCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let kind: CellKind, H: Int, D: Int, T: Int, seed: UInt64
        var testDescription: String { "\(kind) H\(H) D\(D) T\(T)" }
    }

    /// H = 1, H not a multiple of 4, D = 1, T = 1, and larger mixed sizes.
    static let cases: [Case] = [CellKind.lstm, .rnn, .gru, .rnnReLU].flatMap { kind in
        [(1, 2, 3), (3, 5, 4), (5, 1, 6), (4, 3, 1), (7, 4, 5), (1, 1, 1), (8, 8, 3)].enumerated().map { n, s in
            Case(kind: kind, H: s.0, D: s.1, T: s.2, seed: UInt64(100 + n))
        }
    }

    @Test(arguments: cases) func backwardMatchesFiniteDifferences(_ c: Case) throws {
        // A relu case takes the first usable seed from its own (see `TestSupport.usableReluSeed`).
        let seed = c.kind != .rnnReLU ? c.seed : try TestSupport.usableReluSeed(from: c.seed) { s in
            var rng = SplitMix64(seed: s)
            let p = try CellParameters<Double>.random(kind: c.kind, hiddenSize: c.H, inputSize: c.D, scale: 0.8, seed: s)
            let x: [[Double]] = TestSupport.sequence(c.T, c.D, &rng)
            return (p, x, TestSupport.vector(c.H, &rng))
        }
        var rng = SplitMix64(seed: seed)
        var params = try CellParameters<Double>.random(kind: c.kind, hiddenSize: c.H, inputSize: c.D, scale: 0.8, seed: seed)
        var x: [[Double]] = TestSupport.sequence(c.T, c.D, &rng)
        var h0: [Double] = TestSupport.vector(c.H, &rng)
        var c0: [Double]? = c.kind == .lstm ? TestSupport.vector(c.H, &rng) : nil
        let R: [[Double]] = TestSupport.sequence(c.T, c.H, &rng)          // an upstream gradient on every step
        let rh: [Double] = TestSupport.vector(c.H, &rng)
        let rc: [Double] = c.kind == .lstm ? TestSupport.vector(c.H, &rng) : []

        if c.kind == .rnnReLU {  // Perturbations of 2e-3 must not carry any z across relu's kink at 0.
            let margin = try TestSupport.reluKinkMargin(params, x, h0)
            #expect(margin > 0.02, "\(c.testDescription): a pre-activation |z| = \(margin) lies near relu's kink")
        }
        func loss() throws -> Double {
            let trace = try TestSupport.cell(params).forward(x, initialHidden: h0, initialCell: c0)
            return TestSupport.functional(trace, R, rh, rc)
        }
        let cell = try TestSupport.cell(params)
        let trace = try cell.forward(x, initialHidden: h0, initialCell: c0)
        let g = try cell.backward(trace, outputGradients: R, finalHiddenGradient: rh,
                                  finalCellGradient: c.kind == .lstm ? rc : nil)

        var worst = 0.0
        func check(_ analytic: Double, _ numeric: Double, _ what: String) {
            let e = TestSupport.relativeError(analytic, numeric)
            worst = max(worst, e)
            #expect(e < 1e-6, "\(c.testDescription) \(what): analytic \(analytic), numeric \(numeric)")
        }
        for k in params.values.indices {
            let n = try TestSupport.centralDifference(loss) { params.values[k] += $0 }
            check(g.parameters.values[k], n, "parameter \(k)")
        }
        for t in 0..<c.T { for j in 0..<c.D {
            let n = try TestSupport.centralDifference(loss) { x[t][j] += $0 }
            check(g.inputs[t][j], n, "δx_\(t + 1)[\(j)]")
        } }
        for k in 0..<c.H {
            let n = try TestSupport.centralDifference(loss) { h0[k] += $0 }
            check(g.initialHidden[k], n, "δh_0[\(k)]")
            if c.kind == .lstm {
                let n = try TestSupport.centralDifference(loss) { c0![k] += $0 }
                check(g.initialCell[k], n, "δc_0[\(k)]")
            }
        }
        #expect(worst > 0, "the check compared something")
    }
}
