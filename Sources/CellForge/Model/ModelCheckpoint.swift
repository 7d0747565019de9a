/// An optimizer's state for a whole model: one value per model parameter, in the canonical
/// `ModelParameters` layout (each layer's `CellParameters`, then the head), so it does not
/// depend on any kernel's padding.
public enum ModelOptimizerState<Scalar: CellScalar>: Equatable, Sendable {
    /// A stateless optimizer (`SGD`).
    case none
    /// `MomentumSGD`'s velocity (zeros before the first step).
    case momentum(velocity: ModelParameters<Scalar>)
    /// `Adam`'s step count and moments m and v (both zero when the step count is 0).
    case adam(stepCount: Int, firstMoment: ModelParameters<Scalar>, secondMoment: ModelParameters<Scalar>)

    /// "none", "momentum" or "adam".
    public var name: String {
        switch self {
        case .none: "none"
        case .momentum: "momentum"
        case .adam: "adam"
        }
    }
}

/// A whole model's training state: parameters, optimizer state and free-form metadata.
public struct ModelCheckpoint<Scalar: CellScalar>: Equatable, Sendable {
    /// The model's parameters (and so its architecture).
    public let parameters: ModelParameters<Scalar>
    /// The optimizer's state, for the same architecture.
    public let optimizer: ModelOptimizerState<Scalar>
    /// Caller metadata saved with the checkpoint (for example hyperparameters).
    public let metadata: [String: String]

    /// A checkpoint from its parts.
    /// - Throws: `CellForgeError` if an optimizer tensor's architecture differs from the parameters'.
    public init(parameters: ModelParameters<Scalar>, optimizer: ModelOptimizerState<Scalar> = .none,
                metadata: [String: String] = [:]) throws {
        let states: [(String, ModelParameters<Scalar>)] = switch optimizer {
        case .none: []
        case let .momentum(v): [("momentum velocity", v)]
        case let .adam(_, m, v): [("Adam first moment", m), ("Adam second moment", v)]
        }
        for (name, state) in states where state.architecture != parameters.architecture {
            throw CellForgeError.shapeMismatch(name: "checkpoint \(name)", expected: "\(parameters.architecture)",
                                               actual: "\(state.architecture)")
        }
        self.parameters = parameters
        self.optimizer = optimizer
        self.metadata = metadata
    }
}
