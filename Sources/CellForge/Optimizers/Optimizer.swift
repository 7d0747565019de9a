/// An update rule that moves parameters against their gradients.
///
/// Optimizers work on flat scalar buffers, so the same optimizer serves the
/// canonical `CellParameters` layout and any generated kernel's padded layout
/// (whose padding lanes are zero in both parameters and gradients, and stay zero).
/// Every update is an elementwise loop in index order, so it is deterministic.
public protocol Optimizer<Scalar>: Sendable {
    associatedtype Scalar: CellScalar
    /// Applies one update: `parameters` and `gradients` have the same count, which
    /// must not change between calls on one optimizer (stateful optimizers size
    /// their state on the first call).
    ///
    /// No optimizer leaves a non-finite value behind: if the update would make any
    /// parameter or state value NaN or infinite (or cannot be counted), the step is
    /// refused: nothing changes and the result is false.
    /// - Returns: whether the step was applied.
    @discardableResult
    mutating func step(parameters: UnsafeMutableBufferPointer<Scalar>, gradients: UnsafeBufferPointer<Scalar>) -> Bool

    /// Throws `CellForgeError` unless the optimizer's state (if it has any yet) fits
    /// `parameterCount` scalars, so a mismatch is reported before `step` would trap.
    func checkState(parameterCount: Int) throws
}

extension Optimizer {
    /// Stateless optimizers fit any parameter count.
    public func checkState(parameterCount: Int) throws {}

    /// Applies one update to canonical parameters.
    /// - Returns: whether the step was applied (false: refused because a value would not be
    ///   finite, and nothing changed).
    /// - Throws: `CellForgeError` if `gradient` has a different kind or shape, or the
    ///   optimizer's state was sized for a different parameter count.
    @discardableResult
    public mutating func step(_ parameters: inout CellParameters<Scalar>, gradient: CellParameters<Scalar>) throws -> Bool {
        try parameters.checkSameShape(as: gradient, name: "gradient")
        try checkState(parameterCount: parameters.values.count)
        return gradient.values.withUnsafeBufferPointer { g in
            parameters.values.withUnsafeMutableBufferPointer { p in step(parameters: p, gradients: g) }
        }
    }
}

/// Plain stochastic gradient descent, as in seed 002 (d): θ ← θ − λ·δθ.
public struct SGD<Scalar: CellScalar>: Optimizer {
    /// λ, the learning rate.
    public var learningRate: Scalar

    /// SGD with learning rate λ.
    /// - Throws: `CellForgeError.invalidArgument` unless λ > 0 is finite.
    public init(learningRate: Scalar) throws {
        try HyperParameter.checkPositive("learning rate", learningRate)
        self.learningRate = learningRate
    }

    /// Applies θ ← θ − λ·δθ, or refuses it (returning false, parameters unchanged) when a new
    /// parameter would not be finite.
    @inlinable
    @discardableResult
    public mutating func step(parameters: UnsafeMutableBufferPointer<Scalar>, gradients: UnsafeBufferPointer<Scalar>) -> Bool {
        Contract.require(parameters.count == gradients.count, "SGD: parameter and gradient counts differ")
        let lr = learningRate
        guard parameters.indices.allSatisfy({ (parameters[$0] - lr * gradients[$0]).isFinite }) else { return false }
        for k in parameters.indices { parameters[k] -= lr * gradients[k] }
        return true
    }
}
