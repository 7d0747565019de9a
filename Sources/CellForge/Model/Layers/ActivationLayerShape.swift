/// The shape of an activation layer: `kind` applied to the `size` features of every time step.
public struct ActivationLayerShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The function.
    public let kind: ActivationKind
    /// Scalars per step, in and out.
    public let size: Int

    /// An activation layer shape.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ size ≤ `CellParameters.maximumSize`, or
    ///   `CellForgeError.invalidArgument` for a non-finite constant (leaky ReLU slope, ELU alpha).
    public init(kind: ActivationKind, size: Int) throws {
        guard (1...CellParameters<Float>.maximumSize).contains(size) else {
            throw CellForgeError.invalidSize(name: "activation size", value: size,
                                             allowed: "between 1 and \(CellParameters<Float>.maximumSize)")
        }
        switch kind {
        case let .leakyReLU(c), let .elu(c):
            guard c.isFinite else { throw CellForgeError.invalidArgument("\(kind) constant must be finite, got \(c)") }
        default: break
        }
        self.kind = kind
        self.size = size
    }

    /// Scalars of the layer's parameters: `size` slopes for PReLU, none otherwise.
    public var parameterCount: Int { kind == .prelu ? size : 0 }

    /// "tanh (8)".
    public var description: String { "\(kind) (\(size))" }
}
