/// The parameters of one layer of a model, in the canonical layout of its kind. Gradients use
/// the same type.
public enum LayerParameters<Scalar: CellScalar>: Equatable, Sendable {
    /// A recurrent layer's W, U, b (and b_hn).
    case recurrent(CellParameters<Scalar>)
    /// A dense layer's W and b.
    case dense(DenseParameters<Scalar>)
    /// An activation layer's parameters (PReLU slopes; empty otherwise).
    case activation(ActivationParameters<Scalar>)

    /// Zero parameters (and gradients) for a layer of `shape`.
    public init(zerosFor shape: LayerShape) {
        switch shape {
        // A `RecurrentLayerShape`'s sizes are valid by construction.
        case let .recurrent(s): self = .recurrent(try! CellParameters(kind: s.kind, hiddenSize: s.hiddenSize, inputSize: s.inputSize))
        case let .dense(s): self = .dense(DenseParameters(shape: s))
        case let .activation(s): self = .activation(ActivationParameters(shape: s))
        }
    }

    /// Random parameters for `shape` from `seed`: recurrent and dense weights uniform in ±1/√(fan)
    /// like PyTorch's defaults, PReLU slopes 0.25.
    public static func random(_ shape: LayerShape, seed: UInt64) -> Self {
        switch shape {
        case let .recurrent(s):
            .recurrent(try! CellParameters.random(kind: s.kind, hiddenSize: s.hiddenSize, inputSize: s.inputSize, seed: seed))
        case let .dense(s): .dense(DenseParameters.random(shape: s, seed: seed))
        case let .activation(s): .activation(ActivationParameters.initial(shape: s))
        }
    }

    /// The shape these parameters belong to.
    public var shape: LayerShape {
        switch self {
        // The parameters' sizes were validated when they were made.
        case let .recurrent(p): .recurrent(try! RecurrentLayerShape(kind: p.kind, hiddenSize: p.hiddenSize, inputSize: p.inputSize))
        case let .dense(p): .dense(p.shape)
        case let .activation(p): .activation(p.shape)
        }
    }

    /// All scalars, flat, in the kind's canonical order.
    public var values: [Scalar] {
        get {
            switch self {
            case let .recurrent(p): p.values
            case let .dense(p): p.values
            case let .activation(p): p.values
            }
        }
        set {
            Contract.require(newValue.count == values.count, "LayerParameters.values: \(newValue.count) values for \(values.count)")
            switch self {
            case var .recurrent(p): p.values = newValue; self = .recurrent(p)
            case var .dense(p): p.values = newValue; self = .dense(p)
            case var .activation(p): p.values = newValue; self = .activation(p)
            }
        }
    }

    /// The recurrent layer's parameters, or nil.
    public var recurrent: CellParameters<Scalar>? { if case let .recurrent(p) = self { p } else { nil } }
    /// The dense layer's parameters, or nil.
    public var dense: DenseParameters<Scalar>? { if case let .dense(p) = self { p } else { nil } }

    /// The same values in another scalar type.
    public func converted<Other: CellScalar>(to _: Other.Type = Other.self) -> LayerParameters<Other> {
        switch self {
        case let .recurrent(p): .recurrent(p.converted(to: Other.self))
        case let .dense(p): .dense(p.converted(to: Other.self))
        case let .activation(p): .activation(p.converted(to: Other.self))
        }
    }
}
