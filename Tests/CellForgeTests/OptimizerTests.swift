import CellForge
import Foundation
import Testing

/// SGD with momentum, Adam and gradient-norm clipping against hand-computed values
/// and the textbook formulas, plus saving and restoring their state.
@Suite struct OptimizerTests {
    func step<O: Optimizer>(_ o: inout O, _ theta: inout [Double], _ g: [Double]) where O.Scalar == Double {
        g.withUnsafeBufferPointer { g in theta.withUnsafeMutableBufferPointer { _ = o.step(parameters: $0, gradients: g) } }
    }

    /// v ← μv + g, θ ← θ − λv by hand: two steps with λ = 0.1, μ = 0.9.
    @Test func momentumMatchesHandComputation() throws {
        var o = try MomentumSGD<Double>(learningRate: 0.1, momentum: 0.9)
        var theta = [1.0, -2.0]
        #expect(o.velocity.isEmpty)
        step(&o, &theta, [0.5, 0.25])
        #expect(o.velocity == [0.5, 0.25])
        #expect(abs(theta[0] - 0.95) < 1e-15 && abs(theta[1] + 2.025) < 1e-15)
        step(&o, &theta, [0.5, 0.25])
        #expect(abs(o.velocity[0] - 0.95) < 1e-15 && abs(o.velocity[1] - 0.475) < 1e-15)
        #expect(abs(theta[0] - 0.855) < 1e-15 && abs(theta[1] + 2.0725) < 1e-15)
    }

    /// Adam against the paper's form m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ −= λ·m̂/(√v̂ + ε).
    @Test func adamMatchesTextbookFormula() throws {
        let (lr, b1, b2, eps) = (0.01, 0.9, 0.999, 1e-8)
        var adam = try Adam<Double>(learningRate: lr)
        var theta = [0.3, -0.7, 0.0, 1.5], expected = theta
        var m = [Double](repeating: 0, count: 4), v = m
        let gradients = [[0.5, -0.1, 0.0, 2.0], [-0.2, -0.3, 1e-4, 1.0], [0.05, 0.4, -0.3, -3.0]]
        for (t, g) in gradients.enumerated() {
            step(&adam, &theta, g)
            for k in 0..<4 {
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
                let mHat = m[k] / (1 - pow(b1, Double(t + 1))), vHat = v[k] / (1 - pow(b2, Double(t + 1)))
                expected[k] -= lr * mHat / (vHat.squareRoot() + eps)
            }
            for k in 0..<4 { #expect(abs(theta[k] - expected[k]) <= 1e-14, "step \(t + 1), θ[\(k)]") }
        }
        // The first step moves every parameter with a gradient by λ against its sign.
        #expect(abs(0.3 - 0.01 - (try firstAdamStep()[0])) < 1e-9)
        #expect(adam.state.stepCount == 3)
    }

    func firstAdamStep() throws -> [Double] {
        var adam = try Adam<Double>(learningRate: 0.01)
        var theta = [0.3]
        step(&adam, &theta, [0.5])
        return theta
    }

    /// A restored state continues exactly as the optimizer it was saved from.
    @Test func stateRoundTrips() throws {
        var a = try Adam<Double>(learningRate: 0.05), b = try Adam<Double>(learningRate: 0.05)
        var m = try MomentumSGD<Double>(learningRate: 0.05), n = try MomentumSGD<Double>(learningRate: 0.05)
        var (ta, tb, tm, tn) = ([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0])
        step(&a, &ta, [0.3, -0.1]); step(&a, &ta, [0.2, 0.4])
        step(&m, &tm, [0.3, -0.1]); step(&m, &tm, [0.2, 0.4])
        try b.restore(a.state); tb = ta
        try n.restore(velocity: m.velocity); tn = tm
        step(&a, &ta, [-0.5, 0.1]); step(&b, &tb, [-0.5, 0.1])
        step(&m, &tm, [-0.5, 0.1]); step(&n, &tn, [-0.5, 0.1])
        #expect(ta == tb && a.state == b.state)
        #expect(tm == tn && m.velocity == n.velocity)
    }

    @Test func invalidStateAndSettingsAreRejected() throws {
        var adam = try Adam<Double>(learningRate: 0.1)
        #expect(throws: CellForgeError.self) { try adam.restore(.init(stepCount: 1, firstMoment: [0, 0], secondMoment: [0])) }
        #expect(throws: CellForgeError.self) { try adam.restore(.init(stepCount: -1, firstMoment: [], secondMoment: [])) }
        #expect(throws: CellForgeError.self) { try adam.restore(.init(stepCount: 2, firstMoment: [], secondMoment: [])) }
        #expect(throws: CellForgeError.self) { try adam.restore(.init(stepCount: 1, firstMoment: [.nan], secondMoment: [0])) }
        #expect(throws: CellForgeError.self) { try adam.restore(.init(stepCount: 1, firstMoment: [0], secondMoment: [-1])) }
        #expect(adam.state == .init(stepCount: 0, firstMoment: [], secondMoment: []), "a refused restore changes nothing")
        var momentum = try MomentumSGD<Double>(learningRate: 0.1)
        #expect(throws: CellForgeError.nonFinite(name: "momentum velocity (value 0 is inf)")) { try momentum.restore(velocity: [.infinity]) }
        #expect(throws: CellForgeError.self) { try Adam<Double>(learningRate: 0) }
        #expect(throws: CellForgeError.self) { try Adam<Double>(learningRate: 0.1, beta1: 1) }
        #expect(throws: CellForgeError.self) { try MomentumSGD<Float>(learningRate: .nan) }
        #expect(throws: CellForgeError.self) { try MomentumSGD<Float>(learningRate: 0.1, momentum: -0.5) }
        #expect(throws: CellForgeError.self) { try GradientClipping(maxNorm: 0) }
        #expect(throws: CellForgeError.self) { try GradientClipping(maxNorm: .infinity) }
    }

    /// State sized for one parameter count is reported, not trapped on, for another.
    /// SGD's learning rate is checked as Adam's and momentum's are.
    @Test func sgdLearningRateIsValidated() throws {
        for bad in [-1, 0, Float.nan, .infinity] {
            #expect(throws: CellForgeError.invalidArgument("invalid learning rate \(bad): must be finite and greater than 0")) {
                try SGD<Float>(learningRate: bad)
            }
        }
        #expect(try SGD<Float>(learningRate: 0.5).learningRate == 0.5)
    }

    @Test func stateOfAnotherSizeThrows() throws {
        var adam = try Adam<Double>(learningRate: 0.1)
        try adam.restore(.init(stepCount: 1, firstMoment: [0, 0], secondMoment: [0, 0]))
        var p = try CellParameters<Double>(kind: .rnn, hiddenSize: 1, inputSize: 1)
        let g = p
        #expect(throws: CellForgeError.self) { try adam.step(&p, gradient: g) }
        try adam.checkState(parameterCount: 2)
        #expect(throws: CellForgeError.self) { try adam.checkState(parameterCount: 3) }
    }

    @Test func clippingScalesOnlyLongGradients() throws {
        var g: [Float] = [3, 4]
        let clip = try GradientClipping(maxNorm: 1)
        g.withUnsafeMutableBufferPointer { g in
            let norm = GradientClipping.norm(UnsafeBufferPointer(g))
            #expect(norm == 5)
            #expect(clip.apply(to: g, norm: norm))
        }
        #expect(abs(g[0] - 0.6) < 1e-7 && abs(g[1] - 0.8) < 1e-7)
        g.withUnsafeMutableBufferPointer { g in
            #expect(!clip.apply(to: g, norm: GradientClipping.norm(UnsafeBufferPointer(g)) - 1e-6))
        }
        let bad: [Float] = [1, .nan]
        #expect(bad.withUnsafeBufferPointer { GradientClipping.norm($0) }.isNaN)
    }
}
