extension Checkpoint {
    /// A checkpoint of `driver`'s parameters and the state of `optimizer`, as used with `driver`.
    /// - Throws: `CellForgeError` if the optimizer's state was sized for another kernel, or as
    ///   `init(parameters:optimizer:metadata:)` (non-finite parameters, reserved metadata keys).
    public init<K: RecurrentKernel, O: CheckpointableOptimizer>(driver: BatchDriver<K>, optimizer: O,
                                                                metadata: [String: String] = [:]) throws
    where K.Scalar == Scalar, O.Scalar == Scalar {
        try self.init(parameters: driver.parameters, optimizer: optimizer.checkpointState(kernel: driver.kernel),
                      metadata: metadata)
    }

    /// Puts the parameters into `driver` and the optimizer state into `optimizer`, to resume
    /// training where the checkpoint was taken. All or nothing: everything is checked before
    /// either is changed.
    /// - Throws: `CellForgeError` if the checkpoint is for another cell or size than the driver's
    ///   kernel (naming both), or its optimizer state is another optimizer's.
    public func restore<K: RecurrentKernel, O: CheckpointableOptimizer>(into driver: BatchDriver<K>, optimizer: inout O) throws
    where K.Scalar == Scalar, O.Scalar == Scalar {
        let kernel = driver.kernel
        guard parameters.kind == kernel.kind, parameters.hiddenSize == kernel.hiddenSize,
              parameters.inputSize == kernel.inputSize else {
            throw CellForgeError.shapeMismatch(
                name: "checkpoint cell",
                expected: CheckpointFormat.describe(kernel.kind, hiddenSize: kernel.hiddenSize, inputSize: kernel.inputSize)
                    + " (the driver's kernel)",
                actual: CheckpointFormat.describe(parameters))
        }
        var restored = optimizer
        try restored.restore(from: self.optimizer, kernel: kernel)
        try driver.setParameters(parameters)
        optimizer = restored
    }
}
