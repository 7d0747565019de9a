import Foundation

/// Adam (Kingma & Ba 2015) with bias correction:
///
///     m ← β₁·m + (1 − β₁)·δθ      v ← β₂·v + (1 − β₂)·δθ²      t ← t + 1
///     θ ← θ − (λ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// The moments are allocated on the first step, sized to the parameter count; the
/// whole state (`state`, `restore(_:)`) can be saved and resumed by a checkpoint.
public struct Adam<Scalar: CellScalar>: Optimizer {
    /// What Adam carries from one step to the next.
    public struct State: Equatable, Sendable {
        /// t, the number of steps taken.
        public var stepCount: Int
        /// m, one value per parameter; empty before the first step.
        public var firstMoment: [Scalar]
        /// v, one value per parameter; empty before the first step.
        public var secondMoment: [Scalar]

        /// A state from its parts (as saved by a checkpoint).
        public init(stepCount: Int, firstMoment: [Scalar], secondMoment: [Scalar]) {
            self.stepCount = stepCount
            self.firstMoment = firstMoment
            self.secondMoment = secondMoment
        }
    }

    /// λ, the learning rate.
    public var learningRate: Scalar
    /// β₁, decay of the first moment, in [0, 1).
    public let beta1: Scalar
    /// β₂, decay of the second moment, in [0, 1).
    public let beta2: Scalar
    /// ε, added to the denominator.
    public let epsilon: Scalar
    @usableFromInline var storedState = State(stepCount: 0, firstMoment: [], secondMoment: [])

    /// Adam with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    /// - Throws: `CellForgeError.invalidArgument` unless λ, ε > 0 are finite and β₁, β₂ ∈ [0, 1).
    public init(learningRate: Scalar, beta1: Scalar = 0.9, beta2: Scalar = 0.999, epsilon: Scalar = 1e-8) throws {
        try HyperParameter.checkPositive("learning rate", learningRate)
        try HyperParameter.checkUnitInterval("beta1", beta1)
        try HyperParameter.checkUnitInterval("beta2", beta2)
        try HyperParameter.checkPositive("epsilon", epsilon)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// The step count and moments.
    public var state: State { storedState }

    /// Replaces the state (from a checkpoint); a state with t = 0 and empty moments restarts.
    /// - Throws: `CellForgeError` if the moments differ in length, are empty while t > 0
    ///   (or the reverse), t < 0 or t = `Int.max` (no next step could be counted), a value is not finite, or a second moment is negative.
    public mutating func restore(_ state: State) throws {
        guard state.stepCount >= 0, state.stepCount < Int.max else {
            throw CellForgeError.invalidSize(name: "Adam step count", value: state.stepCount,
                                             allowed: "from 0 to \(Int.max - 1) (so that the next step can be counted)")
        }
        guard state.firstMoment.count == state.secondMoment.count else {
            throw CellForgeError.shapeMismatch(name: "Adam second moment", expected: "\(state.firstMoment.count) values",
                                               actual: "\(state.secondMoment.count)")
        }
        guard (state.stepCount == 0) == state.firstMoment.isEmpty else {
            throw CellForgeError.invalidArgument(
                "Adam state: step count \(state.stepCount) with \(state.firstMoment.count) moments; both must be zero or neither")
        }
        if let k = state.firstMoment.firstIndex(where: { !$0.isFinite }) {
            throw CellForgeError.nonFinite(name: "Adam first moment (value \(k) is \(state.firstMoment[k]))")
        }
        if let k = state.secondMoment.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw CellForgeError.invalidArgument(
                "Adam second moment: value \(k) is \(state.secondMoment[k]), expected a finite value of at least 0")
        }
        storedState = state
    }

    public func checkState(parameterCount: Int) throws {
        try HyperParameter.checkState("Adam moments", storedState.firstMoment.count, parameterCount)
    }

    /// Applies one Adam step, or refuses it (returning false and changing nothing: not the
    /// parameters, the moments nor the step count) when it cannot be taken exactly: the step
    /// count is already `Int.max`, or a new moment or parameter would not be finite.
    ///
    /// The moments are updated in Double and rounded once to `Scalar`, so g² itself never
    /// overflows: for Float with β₂ = 0.999 a first step's v = (1 − β₂)·g² stays finite up to
    /// |g| ≈ 5.8e20 (in Float, g·g overflowed from 1.8e19). Beyond what `Scalar` holds the step
    /// is refused rather than leaving v = ∞, which would freeze those parameters (m/√v = 0) for good.
    @inlinable
    @discardableResult
    public mutating func step(parameters: UnsafeMutableBufferPointer<Scalar>, gradients: UnsafeBufferPointer<Scalar>) -> Bool {
        Contract.require(parameters.count == gradients.count, "Adam: parameter and gradient counts differ")
        let fresh = storedState.firstMoment.isEmpty
        Contract.require(fresh || storedState.firstMoment.count == parameters.count, "Adam: state sized for another parameter count")
        guard storedState.stepCount < Int.max else { return false }
        // Bias corrections in Double, then one rounding to Scalar.
        let t = Double(storedState.stepCount + 1)
        let stepSize = Scalar(Double(learningRate) / (1 - Foundation.pow(Double(beta1), t)))
        let rootCorrection = Scalar((1 - Foundation.pow(Double(beta2), t)).squareRoot())
        let (b1, b2, eps) = (Double(beta1), Double(beta2), epsilon)
        let (c1, c2) = (1 - b1, 1 - b2)
        /// Parameter k's new (θ, m, v) from the old m and v.
        func update(_ k: Int, _ m: Scalar, _ v: Scalar) -> (Scalar, Scalar, Scalar) {
            let g = Double(gradients[k])
            let m = Scalar(b1 * Double(m) + c1 * g)
            let v = Scalar(b2 * Double(v) + c2 * (g * g))
            return (parameters[k] - stepSize * m / (v.squareRoot() / rootCorrection + eps), m, v)
        }
        // First pass: check that every new value is finite, writing nothing.
        if fresh {
            for k in parameters.indices {
                let (p, m, v) = update(k, 0, 0)
                guard p.isFinite, m.isFinite, v.isFinite else { return false }
            }
            storedState.firstMoment = Array(repeating: 0, count: parameters.count)
            storedState.secondMoment = storedState.firstMoment
        } else {
            let ok = storedState.firstMoment.withUnsafeBufferPointer { m in
                storedState.secondMoment.withUnsafeBufferPointer { v in
                    parameters.indices.allSatisfy { k in
                        let (p, m, v) = update(k, m[k], v[k])
                        return p.isFinite && m.isFinite && v.isFinite
                    }
                }
            }
            guard ok else { return false }
        }
        // Second pass: the same arithmetic, committed.
        storedState.stepCount += 1
        storedState.firstMoment.withUnsafeMutableBufferPointer { m in
            storedState.secondMoment.withUnsafeMutableBufferPointer { v in
                for k in parameters.indices { (parameters[k], m[k], v[k]) = update(k, m[k], v[k]) }
            }
        }
        return true
    }
}
