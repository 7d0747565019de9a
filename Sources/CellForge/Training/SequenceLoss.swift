/// What one batch's loss is divided by: a `SequenceLoss` sees one sequence at a time and needs
/// the batch's totals to weigh its term.
public struct LossContext: Equatable, Sendable {
    /// Sequences in the batch.
    public let sequences: Int
    /// Scored output scalars in the batch (steps past the burn-in × O).
    public let scoredValues: Int
    /// O, output scalars per step.
    public let outputSize: Int
    /// The sum over the batch's sequences of the loss's `normaliser(targets:outputSize:)`.
    public let normaliser: Double

    /// A context for a batch of `sequences` sequences holding `scoredValues` scored scalars, O per step.
    public init(sequences: Int, scoredValues: Int, outputSize: Int, normaliser: Double = 0) {
        self.sequences = sequences
        self.scoredValues = scoredValues
        self.outputSize = outputSize
        self.normaliser = normaliser
    }
}

/// A training loss or metric, computed one sequence at a time over its scored steps (those past
/// the dataset's burn-in); the batch's loss is the sum of its sequences' terms.
///
/// Called concurrently from the driver's worker threads for different sequences: it must not
/// mutate shared state, and should not allocate.
public protocol SequenceLoss<Scalar>: Sendable {
    /// The scalar type.
    associatedtype Scalar: CellScalar
    /// The name progress output and saved models give it ("ESR", "MSE").
    var name: String { get }
    /// One sequence's term: reads its scored outputs y and targets t (S steps × O scalars,
    /// step-major), writes Δ = ∂(term)/∂y into `gradient` (same shape) and returns the term.
    func evaluate(outputs: UnsafeBufferPointer<Scalar>, targets: UnsafeBufferPointer<Scalar>,
                  gradient: UnsafeMutableBufferPointer<Scalar>, context: LossContext) -> Double
    /// One sequence's share of a batch-wide divisor computed from the targets alone (summed over
    /// the batch into `LossContext.normaliser` before any `evaluate`); 0 by default.
    func normaliser(targets: UnsafeBufferPointer<Scalar>, outputSize: Int) -> Double
}

extension SequenceLoss {
    public func normaliser(targets: UnsafeBufferPointer<Scalar>, outputSize: Int) -> Double { 0 }
}

/// The mean over every scored output scalar of the batch of (y − t)² (PyTorch's `nn.MSELoss()`).
public struct MeanSquaredErrorLoss<Scalar: CellScalar>: SequenceLoss {
    public var name: String { "MSE" }

    public init() {}

    public func evaluate(outputs y: UnsafeBufferPointer<Scalar>, targets t: UnsafeBufferPointer<Scalar>,
                         gradient g: UnsafeMutableBufferPointer<Scalar>, context: LossContext) -> Double {
        let scale = 1 / Double(context.scoredValues)
        return Scalar.self == Float.self
            ? LossSteps.squaredError(y.as(Float.self), t.as(Float.self), g.as(Float.self), scale: scale)
            : LossSteps.squaredError(y.as(Double.self), t.as(Double.self), g.as(Double.self), scale: scale)
    }
}

/// The error-to-signal ratio Σ(y − t)² / Σt², optionally after a first-order pre-emphasis
/// filter p[n] = x[n] − a·x[n − 1] applied to y and t within each sequence's scored steps (S − 1
/// filtered steps per sequence, as NAM filters after masking), over one of two scopes:
/// - `.batch` (the default): both sums run over the whole batch, as the GuitarML trainers
///   compute it, so quiet or silent segments weigh by their energy instead of dividing by it;
/// - `.sequence`: each sequence's ratio, averaged over the batch (NAM's `esr`).
///
/// For one sequence both are its ratio. A batch (or, per sequence, a sequence) whose filtered
/// target is all zeros has no ratio: the loss is infinite, and the driver refuses that step.
public struct ErrorToSignalRatioLoss<Scalar: CellScalar>: SequenceLoss {
    /// Which sums the ratio divides.
    public enum Scope: Sendable { case batch, sequence }

    /// The pre-emphasis coefficient a, or nil for none.
    public let preEmphasis: Double?
    /// The scope of the ratio.
    public let scope: Scope

    /// ESR over `scope`, with the pre-emphasis filter of coefficient `preEmphasis` if given.
    /// - Throws: `CellForgeError` unless the coefficient is finite.
    public init(preEmphasis: Double? = nil, scope: Scope = .batch) throws {
        if let a = preEmphasis, !a.isFinite { throw CellForgeError.nonFinite(name: "ESR pre-emphasis coefficient") }
        self.preEmphasis = preEmphasis
        self.scope = scope
    }

    public var name: String { (scope == .batch ? "ESR" : "segment ESR") + (preEmphasis.map { " (pre-emphasis \($0))" } ?? "") }

    /// Σ of the filtered target's squares.
    public func normaliser(targets t: UnsafeBufferPointer<Scalar>, outputSize O: Int) -> Double {
        Scalar.self == Float.self
            ? LossSteps.filteredEnergy(t.as(Float.self), outputSize: O, coefficient: preEmphasis)
            : LossSteps.filteredEnergy(t.as(Double.self), outputSize: O, coefficient: preEmphasis)
    }

    public func evaluate(outputs y: UnsafeBufferPointer<Scalar>, targets t: UnsafeBufferPointer<Scalar>,
                         gradient g: UnsafeMutableBufferPointer<Scalar>, context: LossContext) -> Double {
        let divisor = scope == .batch ? context.normaliser
            : normaliser(targets: t, outputSize: context.outputSize) * Double(context.sequences)
        return Scalar.self == Float.self
            ? LossSteps.errorToSignal(y.as(Float.self), t.as(Float.self), g.as(Float.self), outputSize: context.outputSize,
                                      coefficient: preEmphasis, divisor: divisor)
            : LossSteps.errorToSignal(y.as(Double.self), t.as(Double.self), g.as(Double.self), outputSize: context.outputSize,
                                      coefficient: preEmphasis, divisor: divisor)
    }
}
