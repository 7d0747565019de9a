import CellForge
import Testing

/// Issue 14, findings 1 and 2: no optimizer leaves a non-finite value or an unincrementable
/// step count behind; a step that would is refused and changes nothing.
@Suite struct OptimizerOverflowTests {
    /// Runs one step on copies and returns (applied, parameters after).
    static func step<O: Optimizer>(_ o: inout O, _ theta: [O.Scalar], _ g: [O.Scalar]) -> (Bool, [O.Scalar]) {
        var theta = theta
        let applied = g.withUnsafeBufferPointer { g in theta.withUnsafeMutableBufferPointer { o.step(parameters: $0, gradients: g) } }
        return (applied, theta)
    }

    /// Float gradients of 3e19 square to 9e38 > Float.greatestFiniteMagnitude: computed in Float,
    /// v became infinite and froze the parameter. Computed in Double, v = (1 − β₂)·g² = 9e35 is
    /// finite, and the first step moves θ by λ (m̂/√v̂ = g/|g| at t = 1, up to ε).
    @Test func adamSecondMomentOfLargeFloatGradientStaysFinite() throws {
        var adam = try Adam<Float>(learningRate: 0.01)
        let (applied, theta) = Self.step(&adam, [0.5, 0.5], [3e19, -3e19])
        #expect(applied)
        #expect(adam.state.secondMoment.allSatisfy { $0.isFinite && $0 > 1e35 }, "\(adam.state.secondMoment)")
        // |Δθ| = λ·|g|/(|g| + ε·√(1 − β₂)) = λ to Float precision: 1e-7 is a few ulps of 0.5.
        #expect(abs(theta[0] - 0.49) < 1e-7 && abs(theta[1] - 0.51) < 1e-7, "\(theta)")
        // The next, ordinary step moves both parameters (before the fix: m/√∞ = 0, frozen).
        let (again, next) = Self.step(&adam, theta, [1, 1])
        #expect(again && next[0] != theta[0] && next[1] != theta[1])
    }

    /// g = 1e30: (1 − β₂)·g² = 1e57 does not fit Float, so the step is refused, bit for bit unchanged.
    @Test func adamRefusesAStepWhoseMomentOverflows() throws {
        var adam = try Adam<Float>(learningRate: 0.01)
        _ = Self.step(&adam, [0.5, 0.5], [1, 1])
        let before = adam.state
        let (applied, theta) = Self.step(&adam, [0.5, 0.5], [1e30, 1])
        #expect(!applied && theta == [0.5, 0.5] && adam.state == before)
        var fresh = try Adam<Double>(learningRate: 0.01)
        let (freshApplied, _) = Self.step(&fresh, [0], [1e200])     // g² = 1e400 overflows Double too
        #expect(!freshApplied && fresh.state == .init(stepCount: 0, firstMoment: [], secondMoment: []),
                "a refused first step does not allocate moments or count a step")
    }

    /// Finding 2: Int.max cannot be restored (its next step could not be counted); at the largest
    /// restorable count one more step is taken, and then steps are refused instead of trapping.
    @Test func adamStepCountNeverTraps() throws {
        var adam = try Adam<Double>(learningRate: 0.01)
        #expect(throws: CellForgeError.invalidSize(name: "Adam step count", value: Int.max,
                                                   allowed: "from 0 to \(Int.max - 1) (so that the next step can be counted)")) {
            try adam.restore(.init(stepCount: Int.max, firstMoment: [0], secondMoment: [0]))
        }
        try adam.restore(.init(stepCount: Int.max - 1, firstMoment: [0], secondMoment: [0]))
        #expect(Self.step(&adam, [1], [1]).0 && adam.state.stepCount == Int.max)
        let before = adam.state
        #expect(!Self.step(&adam, [1], [1]).0 && adam.state == before)
    }

    @Test func momentumAndSGDRefuseOverflow() throws {
        var momentum = try MomentumSGD<Float>(learningRate: 1, momentum: 0.9)
        #expect(Self.step(&momentum, [0], [3e38]).0)
        let v = momentum.velocity
        let (applied, theta) = Self.step(&momentum, [0], [3e38])   // v = 0.9·3e38 + 3e38 overflows
        #expect(!applied && theta == [0] && momentum.velocity == v)
        var sgd = try SGD<Float>(learningRate: 10)
        let (sgdApplied, sgdTheta) = Self.step(&sgd, [1, -3e38], [0, 1e38])
        #expect(!sgdApplied && sgdTheta == [1, -3e38])
    }
}
