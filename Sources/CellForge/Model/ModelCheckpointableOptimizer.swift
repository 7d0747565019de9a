/// An optimizer whose state a `ModelCheckpoint` saves and restores: `SGD`, `MomentumSGD` and `Adam`.
///
/// Used through a `ModelDriver`, an optimizer's state is in the driver's flat layout
/// (`PackedModel.parameterCount` scalars); a checkpoint holds it in the canonical model layout.
public protocol ModelCheckpointableOptimizer<Scalar>: Optimizer {
    /// The state in the canonical layout (zeros before the first step).
    /// - Throws: `CellForgeError` if the state was sized for another parameter count than `model`'s.
    func modelState(_ model: PackedModel<Scalar>) throws -> ModelOptimizerState<Scalar>

    /// Replaces the state with `state` packed into `model`'s layout; everything is checked first,
    /// so on failure the optimizer is unchanged.
    /// - Throws: `CellForgeError` if `state` is another optimizer's, for another architecture, or
    ///   holds invalid values (non-finite, negative second moments, moments without steps).
    mutating func restore(from state: ModelOptimizerState<Scalar>, model: PackedModel<Scalar>) throws
}

extension SGD: ModelCheckpointableOptimizer {
    public func modelState(_ model: PackedModel<Scalar>) throws -> ModelOptimizerState<Scalar> { .none }

    public mutating func restore(from state: ModelOptimizerState<Scalar>, model: PackedModel<Scalar>) throws {
        try ModelState.expect(state, "none", for: "SGD")
    }
}

extension MomentumSGD: ModelCheckpointableOptimizer {
    public func modelState(_ model: PackedModel<Scalar>) throws -> ModelOptimizerState<Scalar> {
        try checkState(parameterCount: model.parameterCount)
        return .momentum(velocity: try ModelState.unpack(velocity, model))
    }

    public mutating func restore(from state: ModelOptimizerState<Scalar>, model: PackedModel<Scalar>) throws {
        try ModelState.expect(state, "momentum", for: "MomentumSGD")
        guard case let .momentum(v) = state else { return }
        try restore(velocity: ModelState.pack(v, "momentum velocity", model))
    }
}

extension Adam: ModelCheckpointableOptimizer {
    public func modelState(_ model: PackedModel<Scalar>) throws -> ModelOptimizerState<Scalar> {
        try checkState(parameterCount: model.parameterCount)
        return .adam(stepCount: state.stepCount, firstMoment: try ModelState.unpack(state.firstMoment, model),
                     secondMoment: try ModelState.unpack(state.secondMoment, model))
    }

    public mutating func restore(from state: ModelOptimizerState<Scalar>, model: PackedModel<Scalar>) throws {
        try ModelState.expect(state, "adam", for: "Adam")
        guard case let .adam(t, m, v) = state else { return }
        let first = try ModelState.pack(m, "Adam first moment", model)
        let second = try ModelState.pack(v, "Adam second moment", model)
        if t == 0, first.contains(where: { $0 != 0 }) || second.contains(where: { $0 != 0 }) {
            throw CellForgeError.invalidArgument("Adam state: the moments are not zero although the step count is 0 (no step taken yet)")
        }
        // Before the first step Adam holds no moments; Adam.restore validates the rest.
        try restore(State(stepCount: t, firstMoment: t == 0 ? [] : first, secondMoment: t == 0 ? [] : second))
    }
}

/// Conversions of optimizer state between a model's flat layout and the canonical one.
enum ModelState {
    /// Throws unless `state` is the state of the optimizer called `name` (`type` for messages).
    static func expect<S: CellScalar>(_ state: ModelOptimizerState<S>, _ name: String, for type: String) throws {
        guard state.name == name else {
            throw CellForgeError.invalidArgument("model optimizer state is \(state.name), but \(type) needs \(name)")
        }
    }

    /// Flat state (or none, before the first step) in the canonical layout.
    static func unpack<S: CellScalar>(_ flat: [S], _ model: PackedModel<S>) throws -> ModelParameters<S> {
        flat.isEmpty ? ModelParameters(zerosFor: model.architecture) : model.unpack(flat)
    }

    /// Canonical state in `model`'s flat layout.
    /// - Throws: `CellForgeError` naming `name` if its architecture is not the model's.
    static func pack<S: CellScalar>(_ canonical: ModelParameters<S>, _ name: String, _ model: PackedModel<S>) throws -> [S] {
        guard canonical.architecture == model.architecture else {
            throw CellForgeError.shapeMismatch(name: name, expected: "\(model.architecture)", actual: "\(canonical.architecture)")
        }
        return try model.packed(canonical)
    }
}

extension ModelCheckpoint {
    /// A checkpoint of `driver`'s parameters and the state of `optimizer`, as used with `driver`.
    /// - Throws: `CellForgeError` if the optimizer's state was sized for another model.
    public init<O: ModelCheckpointableOptimizer>(driver: ModelDriver<Scalar>, optimizer: O,
                                                 metadata: [String: String] = [:]) throws where O.Scalar == Scalar {
        try self.init(parameters: driver.parameters, optimizer: optimizer.modelState(driver.model), metadata: metadata)
    }

    /// Puts the parameters into `driver` and the optimizer state into `optimizer`, to resume training
    /// bit for bit. All or nothing: everything is checked before either is changed.
    /// - Throws: `CellForgeError` if the checkpoint's architecture is not the driver's (naming both),
    ///   its parameters are not finite, or its optimizer state is another optimizer's or invalid.
    public func restore<O: ModelCheckpointableOptimizer>(into driver: ModelDriver<Scalar>, optimizer: inout O) throws
    where O.Scalar == Scalar {
        guard parameters.architecture == driver.architecture else {
            throw CellForgeError.shapeMismatch(name: "checkpoint architecture", expected: "\(driver.architecture) (the driver's)",
                                               actual: "\(parameters.architecture)")
        }
        if !ModelValues.allFinite(parameters) { throw CellForgeError.nonFinite(name: "checkpoint model parameters") }
        var restored = optimizer
        try restored.restore(from: self.optimizer, model: driver.model)
        try driver.setParameters(parameters)
        optimizer = restored
    }
}

/// Checks on whole-model values.
enum ModelValues {
    /// Whether every parameter is finite.
    static func allFinite<S: CellScalar>(_ p: ModelParameters<S>) -> Bool {
        p.layers.allSatisfy { $0.values.allSatisfy(\.isFinite) }
    }
}
