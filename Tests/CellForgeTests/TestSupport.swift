import CellForge
import Foundation

/// Random data and finite differences shared by the reference-cell tests.
enum TestSupport {
    /// T random vectors of length n, uniform in [−1, 1).
    static func sequence<S: CellScalar>(_ T: Int, _ n: Int, _ rng: inout SplitMix64) -> [[S]] {
        (0..<T).map { _ in vector(n, &rng) }
    }

    /// A random vector of length n, uniform in [−1, 1).
    static func vector<S: CellScalar>(_ n: Int, _ rng: inout SplitMix64) -> [S] {
        (0..<n).map { _ in rng.nextSigned(S.self) }
    }

    /// Builds a reference cell of the given kind.
    static func cell<S: CellScalar>(_ p: CellParameters<S>) throws -> any ReferenceCell<S> {
        switch p.kind {
        case .lstm: try ReferenceLSTM(parameters: p)
        case .rnn, .rnnReLU: try ReferenceRNN(parameters: p)
        case .gru: try ReferenceGRU(parameters: p)
        }
    }

    /// For a relu RNN, the smallest |z| over every step and unit of its run on x from h0 (z the
    /// pre-activation, recovered as atanh of one tanh-RNN step from the same h_{t−1}): finite
    /// differences of step h are exact only when no z lies within a few h of relu's kink at 0.
    static func reluKinkMargin(_ p: CellParameters<Double>, _ x: [[Double]], _ h0: [Double]) throws -> Double {
        let trace = try ReferenceRNN(parameters: p).forward(x, initialHidden: h0, initialCell: nil)
        let tanhCell = try CellParameters<Double>(kind: .rnn, hiddenSize: p.hiddenSize, inputSize: p.inputSize, values: p.values)
        var margin = Double.infinity
        for t in x.indices {
            let h = try ReferenceRNN(parameters: tanhCell).forward([x[t]], initialHidden: trace.previousHidden(t + 1), initialCell: nil)
            margin = min(margin, h.hidden[0].map { abs(atanh($0)) }.min()!)
        }
        return margin
    }

    /// The first seed from `start` on (in steps of 1000) whose relu RNN data, drawn by `draw`,
    /// keeps every |z| above 0.02 (finite differences of step 1e-3 then cross no kink) and has
    /// some h_t > 0 (so the gradients checked are not all zero).
    static func usableReluSeed(from start: UInt64,
                               _ draw: (UInt64) throws -> (CellParameters<Double>, [[Double]], [Double])) throws -> UInt64 {
        var seed = start
        while true {
            let (p, x, h0) = try draw(seed)
            let hidden = try ReferenceRNN(parameters: p).forward(x, initialHidden: h0, initialCell: nil).hidden
            if try reluKinkMargin(p, x, h0) > 0.02, hidden.joined().contains(where: { $0 > 0 }) { return seed }
            seed += 1000
        }
    }

    /// The linear functional L = Σ_t ⟨R_t, h_t⟩ + ⟨r_h, h_T⟩ + ⟨r_c, c_T⟩ whose gradient
    /// backward computes when given Δ_t = R_t, δh_T = r_h and δc_T = r_c.
    static func functional(_ trace: SequenceTrace<Double>, _ R: [[Double]], _ rh: [Double], _ rc: [Double]) -> Double {
        var L = 0.0
        for (h, r) in zip(trace.hidden, R) { L += dot(h, r) }
        return L + dot(trace.finalHidden, rh) + dot(trace.finalCell, rc)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Five-point central difference (−f(+2h) + 8f(+h) − 8f(−h) + f(−2h)) / 12h with h = 1e-3:
    /// truncation error O(h⁴) ≈ 1e-12 and rounding error ≈ ε·|L|/h ≈ 1e-12 for the
    /// functionals used here. `perturb(δ)` adds δ to the value being differentiated.
    static func centralDifference(_ f: () throws -> Double, perturb: (Double) -> Void) rethrows -> Double {
        let h = 1e-3
        perturb(2 * h); let p2 = try f()
        perturb(-h); let p1 = try f()
        perturb(-2 * h); let m1 = try f()
        perturb(-h); let m2 = try f()
        perturb(2 * h)
        return (-p2 + 8 * p1 - 8 * m1 + m2) / (12 * h)
    }

    /// Relative error |a − n| / max(|a|, |n|, 1e-4). The floor keeps components
    /// smaller than 1e-4 (including exact zeros) to an absolute bound of 1e-10 at a
    /// tolerance of 1e-6, still two orders above the difference's own error.
    static func relativeError(_ a: Double, _ n: Double) -> Double {
        abs(a - n) / max(abs(a), abs(n), 1e-4)
    }
}
