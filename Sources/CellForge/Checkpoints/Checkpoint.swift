/// Everything needed to resume training exactly: the parameters, the optimizer's state
/// and free-form metadata, saved as one safetensors file (see `save(to:)` and
/// `load(from:kind:hiddenSize:inputSize:as:)`).
///
/// Everything is in the canonical `CellParameters` layout, so a checkpoint does not
/// depend on a kernel's padding: tensors `W` [G·H, D], `U` [G·H, H], `b` [G·H] and,
/// for a GRU, `b_hn` [H]; the optimizer's under the same names prefixed
/// `momentum.velocity.`, or `adam.m.` and `adam.v.`; F32 for Float, F64 for Double.
/// `__metadata__` holds "cellforge.checkpoint": "1" (the format tag), `cellforge.cell`,
/// `cellforge.hidden_size`, `cellforge.input_size`, `cellforge.scalar`,
/// `cellforge.optimizer`, `cellforge.adam.step_count` (Adam only), a `cellforge.crc32c.NAME`
/// checksum per tensor (`TensorChecksums`), and the user's metadata.
/// Optimizer hyperparameters (learning rate, β, ε, momentum) are not stored.
public struct Checkpoint<Scalar: CellScalar>: Equatable, Sendable {
    /// The cell's parameters.
    public let parameters: CellParameters<Scalar>
    /// The optimizer's state, for the same cell and sizes as `parameters`.
    public let optimizer: OptimizerCheckpoint<Scalar>
    /// Free-form strings saved with the checkpoint; no key starts with "cellforge.".
    public let metadata: [String: String]

    /// A checkpoint from its parts, validated as a loaded one is.
    /// - Throws: `CellForgeError` if a value is not finite, the optimizer state is for another
    ///   cell or size (naming both), Adam's step count is negative, its second moment has a
    ///   negative value or its moments are not zero at step 0, or a metadata key starts with "cellforge.".
    public init(parameters: CellParameters<Scalar>, optimizer: OptimizerCheckpoint<Scalar> = .none,
                metadata: [String: String] = [:]) throws {
        if let key = metadata.keys.sorted().first(where: { $0.hasPrefix(CheckpointFormat.reservedPrefix) }) {
            throw CellForgeError.invalidArgument(
                "checkpoint metadata key \(SafeTensors.quoted(key)) is reserved: keys starting with "
                + "\"\(CheckpointFormat.reservedPrefix)\" describe the checkpoint itself")
        }
        for t in CheckpointFormat.tensors(of: parameters) {
            if let k = t.values.firstIndex(where: { !$0.isFinite }) {
                throw CellForgeError.nonFinite(name: "checkpoint tensor \(t.name) (value \(k - t.values.startIndex) is \(t.values[k]))")
            }
        }
        try optimizer.validate(kind: parameters.kind, hiddenSize: parameters.hiddenSize, inputSize: parameters.inputSize)
        self.parameters = parameters
        self.optimizer = optimizer
        self.metadata = metadata
    }
}
