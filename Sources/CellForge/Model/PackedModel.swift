/// A model's layers and where their packed parameters live in one flat buffer: layer 0's
/// storage, layer 1's, …, each segment starting on a 64-byte boundary (the gaps hold zeros,
/// with zero gradients, so every optimizer leaves them zero). Also where each recurrent
/// layer's state lives in a model state: layer-major, [h, c] per LSTM layer (PyTorch's h0/c0
/// order per layer); other layers have none.
public struct PackedModel<Scalar: CellScalar>: Sendable {
    /// The architecture.
    public let architecture: ModelArchitecture
    /// The layers, in order.
    public let layers: [any ModelLayer<Scalar>]
    /// Offset of each layer's storage in the flat buffer.
    public let layerOffsets: [Int]
    /// Scalars of the flat buffer.
    public let parameterCount: Int
    /// Offset of each layer's state in a model state.
    public let stateOffsets: [Int]
    /// Scalars of one sequence's state, all layers.
    public let stateSize: Int

    /// The packing of `layers` for `architecture`.
    /// - Throws: `CellForgeError` naming the first layer whose kind or sizes differ from the architecture's.
    public init(architecture: ModelArchitecture, layers: [any ModelLayer<Scalar>]) throws {
        guard layers.count == architecture.layers.count else {
            throw CellForgeError.shapeMismatch(name: "model layers", expected: "\(architecture.layers.count) (\(architecture))",
                                               actual: "\(layers.count)")
        }
        for (l, (layer, shape)) in zip(layers, architecture.layers).enumerated() where layer.shape != shape {
            throw CellForgeError.shapeMismatch(name: "layer \(l)", expected: "\(shape)", actual: "\(layer.shape)")
        }
        self.architecture = architecture
        self.layers = layers
        let line = Self.line
        var offset = 0, offsets: [Int] = [], states: [Int] = [], state = 0
        for layer in layers {
            offsets.append(offset)
            offset += (layer.parameterStorageCount + line - 1) / line * line
            states.append(state)
            state += layer.stateSize
        }
        layerOffsets = offsets
        parameterCount = offset
        stateOffsets = states
        stateSize = state
    }

    /// Scalars in 64 bytes.
    @usableFromInline static var line: Int { max(1, 64 / MemoryLayout<Scalar>.stride) }

    /// Writes `parameters` into `storage` (`parameterCount` scalars, gaps zeroed).
    /// - Throws: `CellForgeError` if the parameters' architecture is not this model's (before writing).
    public func pack(_ parameters: ModelParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) throws {
        guard parameters.architecture == architecture else {
            throw CellForgeError.shapeMismatch(name: "model parameters", expected: "\(architecture)",
                                               actual: "\(parameters.architecture)")
        }
        Contract.require(storage.count == parameterCount, "PackedModel.pack: storage has the wrong size")
        storage.update(repeating: 0)
        for (l, layer) in layers.enumerated() {
            layer.pack(parameters.layers[l], into: segment(storage, l))
        }
    }

    /// The canonical parameters (or gradients, or optimizer state) held in `storage`.
    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> ModelParameters<Scalar> {
        Contract.require(storage.count == parameterCount, "PackedModel.unpack: storage has the wrong size")
        let unpacked = layers.indices.map { l in
            layers[l].unpack(UnsafeBufferPointer(rebasing: storage[layerOffsets[l]..<(layerOffsets[l] + layers[l].parameterStorageCount)]))
        }
        // Shapes come from this model's own layers, so they agree with the architecture.
        return try! ModelParameters(architecture: architecture, layers: unpacked)
    }

    /// `unpack` of an array of `parameterCount` scalars.
    public func unpack(_ storage: [Scalar]) -> ModelParameters<Scalar> {
        storage.withUnsafeBufferPointer { unpack($0) }
    }

    /// `pack` into a new array.
    public func packed(_ parameters: ModelParameters<Scalar>) throws -> [Scalar] {
        var storage = [Scalar](repeating: 0, count: parameterCount)
        try storage.withUnsafeMutableBufferPointer { try pack(parameters, into: $0) }
        return storage
    }

    private func segment(_ storage: UnsafeMutableBufferPointer<Scalar>, _ l: Int) -> UnsafeMutableBufferPointer<Scalar> {
        UnsafeMutableBufferPointer(rebasing: storage[layerOffsets[l]..<(layerOffsets[l] + layers[l].parameterStorageCount)])
    }
}
