/// What one batch's loss is divided by: a `SequenceLoss` sees one sequence at a time and needs
/// the batch's totals to weigh its term.
public struct LossContext: Equatable, Sendable {
    /// Sequences in the batch.
    public let sequences: Int
    /// Scored output scalars in the batch (steps past the burn-in × O).
    public let scoredValues: Int
    /// O, output scalars per step.
    public let outputSize: Int

    /// A context for a batch of `sequences` sequences holding `scoredValues` scored scalars, O per step.
    public init(sequences: Int, scoredValues: Int, outputSize: Int) {
        self.sequences = sequences
        self.scoredValues = scoredValues
        self.outputSize = outputSize
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
}

/// The mean over every scored output scalar of the batch of (y − t)² (PyTorch's `nn.MSELoss()`).
public struct MeanSquaredErrorLoss<Scalar: CellScalar>: SequenceLoss {
    public var name: String { "MSE" }

    public init() {}

    public func evaluate(outputs y: UnsafeBufferPointer<Scalar>, targets t: UnsafeBufferPointer<Scalar>,
                         gradient g: UnsafeMutableBufferPointer<Scalar>, context: LossContext) -> Double {
        let scale = 1 / Double(context.scoredValues)
        var sum = 0.0
        for k in y.indices {
            let e = Double(y[k]) - Double(t[k])
            sum += e * e
            g[k] = Scalar(2 * scale * e)
        }
        return sum * scale
    }
}

/// The error-to-signal ratio Σ(y − t)² / Σt² of each sequence, averaged over the batch's
/// sequences (NAM's `esr`; for one sequence, the ratio itself), optionally after a first-order
/// pre-emphasis filter p[n] = x[n] − a·x[n − 1] applied to y and t within the scored steps (so
/// S − 1 filtered steps per sequence, as NAM filters after masking).
///
/// A sequence whose (filtered) target is all zeros has no ratio: its term is infinite, and the
/// driver refuses such a training step.
public struct ErrorToSignalRatioLoss<Scalar: CellScalar>: SequenceLoss {
    /// The pre-emphasis coefficient a, or nil for none.
    public let preEmphasis: Double?

    /// ESR, with the pre-emphasis filter of coefficient `preEmphasis` if given.
    /// - Throws: `CellForgeError` unless the coefficient is finite.
    public init(preEmphasis: Double? = nil) throws {
        if let a = preEmphasis, !a.isFinite { throw CellForgeError.nonFinite(name: "ESR pre-emphasis coefficient") }
        self.preEmphasis = preEmphasis
    }

    public var name: String { preEmphasis.map { "ESR (pre-emphasis \($0))" } ?? "ESR" }

    public func evaluate(outputs y: UnsafeBufferPointer<Scalar>, targets t: UnsafeBufferPointer<Scalar>,
                         gradient g: UnsafeMutableBufferPointer<Scalar>, context: LossContext) -> Double {
        let O = context.outputSize, a = preEmphasis ?? 0, first = preEmphasis == nil ? 0 : O
        // Filtered error and target at value k (k ≥ first): e[k] − a·e[k − O].
        func filtered(_ x: (Int) -> Double, _ k: Int) -> Double { k >= O ? x(k) - a * x(k - O) : x(k) }
        let error = { (k: Int) in Double(y[k]) - Double(t[k]) }, target = { (k: Int) in Double(t[k]) }
        var errorEnergy = 0.0, signalEnergy = 0.0
        for k in stride(from: first, to: y.count, by: 1) {
            let e = filtered(error, k), s = filtered(target, k)
            errorEnergy += e * e
            signalEnergy += s * s
        }
        let scale = 2 / (signalEnergy * Double(context.sequences))
        // Δy[k] = g_f[k] − a·g_f[k + O], where g_f is the gradient with respect to the filtered error.
        for k in y.indices {
            let here = k >= first ? scale * filtered(error, k) : 0
            let next = preEmphasis != nil && k + O < y.count ? scale * filtered(error, k + O) : 0
            g[k] = Scalar(here - a * next)
        }
        return errorEnergy / signalEnergy / Double(context.sequences)
    }
}
