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
    mutating func step(parameters: UnsafeMutableBufferPointer<Scalar>, gradients: UnsafeBufferPointer<Scalar>)

    /// Throws `CellForgeError` unless the optimizer's state (if it has any yet) fits
    /// `parameterCount` scalars, so a mismatch is reported before `step` would trap.
    func checkState(parameterCount: Int) throws
}

extension Optimizer {
    /// Stateless optimizers fit any parameter count.
    public func checkState(parameterCount: Int) throws {}

    /// Applies one update to canonical parameters.
    /// - Throws: `CellForgeError` if `gradient` has a different kind or shape, or the
    ///   optimizer's state was sized for a different parameter count.
    public mutating func step(_ parameters: inout CellParameters<Scalar>, gradient: CellParameters<Scalar>) throws {
        try parameters.checkSameShape(as: gradient, name: "gradient")
        try checkState(parameterCount: parameters.values.count)
        gradient.values.withUnsafeBufferPointer { g in
            parameters.values.withUnsafeMutableBufferPointer { p in step(parameters: p, gradients: g) }
        }
    }
}

/// Plain stochastic gradient descent, as in seed 002 (d): θ ← θ − λ·δθ.
public struct SGD<Scalar: CellScalar>: Optimizer {
    /// λ, the learning rate.
    public var learningRate: Scalar

    /// SGD with learning rate λ.
    public init(learningRate: Scalar) { self.learningRate = learningRate }

    @inlinable
    public mutating func step(parameters: UnsafeMutableBufferPointer<Scalar>, gradients: UnsafeBufferPointer<Scalar>) {
        precondition(parameters.count == gradients.count, "SGD: parameter and gradient counts differ")
        for k in parameters.indices { parameters[k] -= learningRate * gradients[k] }
    }
}
