/// The shape of one layer of a sequential model.
public enum LayerShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// An LSTM, GRU or RNN layer (carries state between steps).
    case recurrent(RecurrentLayerShape)
    /// An affine map applied at every step.
    case dense(DenseLayerShape)
    /// An activation applied at every step.
    case activation(ActivationLayerShape)

    /// Scalars per input step.
    public var inputSize: Int {
        switch self {
        case let .recurrent(s): s.inputSize
        case let .dense(s): s.inputSize
        case let .activation(s): s.size
        }
    }

    /// Scalars per output step.
    public var outputSize: Int {
        switch self {
        case let .recurrent(s): s.hiddenSize
        case let .dense(s): s.outputSize
        case let .activation(s): s.size
        }
    }

    /// Scalars carried between steps: H (2H for LSTM) for a recurrent layer, 0 otherwise.
    public var stateSize: Int {
        if case let .recurrent(s) = self { s.hiddenSize * s.kind.stateVectorCount } else { 0 }
    }

    /// The recurrent layer's shape, or nil.
    public var recurrent: RecurrentLayerShape? {
        if case let .recurrent(s) = self { s } else { nil }
    }

    /// "recurrent", "dense" or "activation": the kind of layer, for messages.
    public var kindName: String {
        switch self {
        case .recurrent: "recurrent"
        case .dense: "dense"
        case .activation: "activation"
        }
    }

    public var description: String {
        switch self {
        case let .recurrent(s): s.description
        case let .dense(s): s.description
        case let .activation(s): s.description
        }
    }
}
