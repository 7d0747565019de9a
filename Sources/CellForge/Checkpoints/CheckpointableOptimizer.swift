/// An optimizer whose state a `Checkpoint` saves and restores: `SGD`, `MomentumSGD` and `Adam`.
///
/// Used through a `BatchDriver`, an optimizer's state is in the kernel's packed layout
/// (`parameterStorageCount` scalars); a checkpoint holds it in the canonical layout, and
/// these convert with the kernel's `unpack` and `pack`.
public protocol CheckpointableOptimizer<Scalar>: Optimizer {
    /// The state, read out of `kernel`'s layout into the canonical one (zeros before the first step).
    /// - Throws: `CellForgeError` if the state was sized for another parameter count than `kernel`'s.
    func checkpointState<K: RecurrentKernel>(kernel: K) throws -> OptimizerCheckpoint<Scalar> where K.Scalar == Scalar

    /// Replaces the state with `state`, packed into `kernel`'s layout; everything is checked
    /// first, so on failure the optimizer is unchanged.
    /// - Throws: `CellForgeError` if `state` is another optimizer's, does not fit `kernel`'s
    ///   cell and sizes (naming both), or holds invalid values.
    mutating func restore<K: RecurrentKernel>(from state: OptimizerCheckpoint<Scalar>, kernel: K) throws where K.Scalar == Scalar
}

extension SGD: CheckpointableOptimizer {
    public func checkpointState<K: RecurrentKernel>(kernel: K) throws -> OptimizerCheckpoint<Scalar> where K.Scalar == Scalar {
        .none
    }

    public mutating func restore<K: RecurrentKernel>(from state: OptimizerCheckpoint<Scalar>, kernel: K) throws
    where K.Scalar == Scalar {
        try KernelState.expect(state, "none", for: "SGD")
    }
}

extension MomentumSGD: CheckpointableOptimizer {
    public func checkpointState<K: RecurrentKernel>(kernel: K) throws -> OptimizerCheckpoint<Scalar> where K.Scalar == Scalar {
        try checkState(parameterCount: kernel.parameterStorageCount)
        return .momentum(velocity: try KernelState.unpack(velocity, kernel: kernel))
    }

    public mutating func restore<K: RecurrentKernel>(from state: OptimizerCheckpoint<Scalar>, kernel: K) throws
    where K.Scalar == Scalar {
        try KernelState.expect(state, "momentum", for: "MomentumSGD")
        try KernelState.validate(state, kernel: kernel)
        guard case let .momentum(v) = state else { return }
        try restore(velocity: KernelState.pack(v, kernel: kernel))
    }
}

extension Adam: CheckpointableOptimizer {
    public func checkpointState<K: RecurrentKernel>(kernel: K) throws -> OptimizerCheckpoint<Scalar> where K.Scalar == Scalar {
        try checkState(parameterCount: kernel.parameterStorageCount)
        return .adam(stepCount: state.stepCount, firstMoment: try KernelState.unpack(state.firstMoment, kernel: kernel),
                     secondMoment: try KernelState.unpack(state.secondMoment, kernel: kernel))
    }

    public mutating func restore<K: RecurrentKernel>(from state: OptimizerCheckpoint<Scalar>, kernel: K) throws
    where K.Scalar == Scalar {
        try KernelState.expect(state, "adam", for: "Adam")
        try KernelState.validate(state, kernel: kernel)
        guard case let .adam(t, m, v) = state else { return }
        // Before the first step Adam holds no moments (they are zero, as validated).
        try restore(State(stepCount: t, firstMoment: t == 0 ? [] : KernelState.pack(m, kernel: kernel),
                          secondMoment: t == 0 ? [] : KernelState.pack(v, kernel: kernel)))
    }
}

/// Conversions of optimizer state between a kernel's packed layout and the canonical one.
enum KernelState {
    /// Throws unless `state` is the state of the optimizer called `name` (`type` for messages).
    static func expect<S: CellScalar>(_ state: OptimizerCheckpoint<S>, _ name: String, for type: String) throws {
        guard state.name == name else {
            throw CellForgeError.invalidArgument("checkpoint optimizer state is \(state.name), but \(type) needs \(name)")
        }
    }

    /// Throws unless `state` is valid and for `kernel`'s cell and sizes.
    static func validate<K: RecurrentKernel>(_ state: OptimizerCheckpoint<K.Scalar>, kernel: K) throws {
        try state.validate(kind: kernel.kind, hiddenSize: kernel.hiddenSize, inputSize: kernel.inputSize)
    }

    /// Packed state of `parameterStorageCount` scalars (or none, before the first step) in the canonical layout.
    static func unpack<K: RecurrentKernel>(_ packed: [K.Scalar], kernel: K) throws -> CellParameters<K.Scalar> {
        guard !packed.isEmpty else {
            return try CellParameters(kind: kernel.kind, hiddenSize: kernel.hiddenSize, inputSize: kernel.inputSize)
        }
        return packed.withUnsafeBufferPointer { kernel.unpack($0) }
    }

    /// Canonical state (already validated for `kernel`) in `kernel`'s packed layout.
    static func pack<K: RecurrentKernel>(_ canonical: CellParameters<K.Scalar>, kernel: K) -> [K.Scalar] {
        var packed = [K.Scalar](repeating: 0, count: kernel.parameterStorageCount)
        packed.withUnsafeMutableBufferPointer { kernel.pack(canonical, into: $0) }
        return packed
    }
}
