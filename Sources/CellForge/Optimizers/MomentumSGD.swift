/// Stochastic gradient descent with (heavy-ball) momentum, PyTorch's form:
/// v ← μ·v + δθ, θ ← θ − λ·v, with v = 0 before the first step.
///
/// The velocity v is allocated on the first step, sized to the parameter count,
/// and is exposed (`velocity`, `restore(velocity:)`) so a checkpoint can save and
/// resume it.
public struct MomentumSGD<Scalar: CellScalar>: Optimizer {
    /// λ, the learning rate.
    public var learningRate: Scalar
    /// μ, the momentum coefficient in [0, 1).
    public let momentum: Scalar
    @usableFromInline var storedVelocity: [Scalar] = []

    /// SGD with learning rate λ and momentum μ.
    /// - Throws: `CellForgeError.invalidArgument` unless λ > 0 is finite and 0 ≤ μ < 1.
    public init(learningRate: Scalar, momentum: Scalar = 0.9) throws {
        try HyperParameter.checkPositive("learning rate", learningRate)
        try HyperParameter.checkUnitInterval("momentum", momentum)
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// v, one value per parameter; empty before the first step.
    public var velocity: [Scalar] { storedVelocity }

    /// Replaces the velocity (from a checkpoint); an empty array restarts from v = 0.
    /// - Throws: `CellForgeError.nonFinite` if a value is NaN or infinite.
    public mutating func restore(velocity: [Scalar]) throws {
        if let k = velocity.firstIndex(where: { !$0.isFinite }) {
            throw CellForgeError.nonFinite(name: "momentum velocity (value \(k) is \(velocity[k]))")
        }
        storedVelocity = velocity
    }

    public func checkState(parameterCount: Int) throws {
        try HyperParameter.checkState("momentum velocity", storedVelocity.count, parameterCount)
    }

    /// Applies one step, or refuses it (returning false and changing nothing) when a new
    /// velocity or parameter would not be finite.
    @inlinable
    @discardableResult
    public mutating func step(parameters: UnsafeMutableBufferPointer<Scalar>, gradients: UnsafeBufferPointer<Scalar>) -> Bool {
        Contract.require(parameters.count == gradients.count, "MomentumSGD: parameter and gradient counts differ")
        let fresh = storedVelocity.isEmpty
        Contract.require(fresh || storedVelocity.count == parameters.count, "MomentumSGD: state sized for another parameter count")
        let (lr, mu) = (learningRate, momentum)
        /// Parameter k's new (θ, v) from the old v.
        func update(_ k: Int, _ v: Scalar) -> (Scalar, Scalar) {
            let v = mu * v + gradients[k]
            return (parameters[k] - lr * v, v)
        }
        // First pass: check that every new value is finite, writing nothing.
        let ok = fresh ? parameters.indices.allSatisfy { k in let (p, v) = update(k, 0); return p.isFinite && v.isFinite }
            : storedVelocity.withUnsafeBufferPointer { v in
                parameters.indices.allSatisfy { k in let (p, v) = update(k, v[k]); return p.isFinite && v.isFinite }
            }
        guard ok else { return false }
        if fresh { storedVelocity = Array(repeating: 0, count: parameters.count) }
        storedVelocity.withUnsafeMutableBufferPointer { v in
            for k in parameters.indices { (parameters[k], v[k]) = update(k, v[k]) }
        }
        return true
    }
}
