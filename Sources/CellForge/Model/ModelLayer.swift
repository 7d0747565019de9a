/// One layer of a model as the model's driver and streams call it: once per piece of
/// sequences (a `KernelBatch`), never per step, so the per-step loop runs in the concrete
/// layer's code even though the model holds its layers as `any ModelLayer`.
///
/// Recurrent layers follow `RecurrentKernel`'s contract. Dense and activation layers act on
/// each step alone: forward reads `input` and writes `output` (required); `state` and `tape`
/// are ignored. Backward reads `input` (x), `output` (y as forward wrote it) and
/// `outputGradient` (δy, required), writes `inputGradient` (δx, when given; never the same
/// memory as δy) and adds the parameter gradient, in a fixed order (sequence, step, index),
/// so batched equals one sequence at a time bit for bit.
public protocol ModelLayer<Scalar>: Sendable {
    /// The scalar type.
    associatedtype Scalar: CellScalar
    /// The layer's kind and sizes.
    var shape: LayerShape { get }
    /// Scalars of state carried between steps (H, or 2H for LSTM: h then c; 0 for other layers).
    var stateSize: Int { get }
    /// Scalars of the layer's packed parameter storage.
    var parameterStorageCount: Int { get }
    /// Sequences the layer runs in lockstep.
    var interleave: Int { get }
    /// Scalars of tape one sequence of `length` steps needs.
    func tapeCount(length: Int) -> Int
    /// Writes canonical parameters (of this layer's shape) into packed storage.
    func pack(_ parameters: LayerParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>)
    /// Reads canonical parameters (or gradients) out of packed storage.
    func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> LayerParameters<Scalar>
    /// Batched forward (see the type's rules).
    func forward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>)
    /// Batched backward (see the type's rules).
    func backward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>, parameterGradient: UnsafeMutablePointer<Scalar>)
}

/// A recurrent model layer backed by one concrete kernel type: every call goes straight to `K`'s code.
@frozen
public struct KernelLayer<K: RecurrentKernel>: ModelLayer {
    /// The kernel's scalar type.
    public typealias Scalar = K.Scalar
    /// The kernel.
    public let kernel: K
    /// The kernel's cell and sizes.
    public let shape: LayerShape

    /// The layer running `kernel`.
    @inlinable
    public init(_ kernel: K) {
        self.kernel = kernel
        // A kernel's sizes are valid by construction.
        shape = .recurrent(try! RecurrentLayerShape(kind: kernel.kind, hiddenSize: kernel.hiddenSize, inputSize: kernel.inputSize))
    }

    @inlinable public var stateSize: Int { kernel.stateSize }
    @inlinable public var parameterStorageCount: Int { kernel.parameterStorageCount }
    @inlinable public var interleave: Int { kernel.interleave }
    @inlinable public func tapeCount(length: Int) -> Int { kernel.tapeCount(length: length) }
    /// Packs recurrent parameters of the kernel's shape (a contract: `PackedModel` checks shapes first).
    @inlinable public func pack(_ parameters: LayerParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        guard let p = parameters.recurrent else { Contract.require(false, "KernelLayer.pack: \(parameters.shape) for \(shape)"); return }
        kernel.pack(p, into: storage)
    }
    @inlinable public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> LayerParameters<Scalar> { .recurrent(kernel.unpack(storage)) }
    @inlinable public func forward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>) {
        kernel.forward(parameters: parameters, batch: batch)
    }
    @inlinable public func backward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>,
                                    parameterGradient: UnsafeMutablePointer<Scalar>) {
        kernel.backward(parameters: parameters, batch: batch, parameterGradient: parameterGradient)
    }
}

/// Opens a registry's kernel as a model layer of scalar type `Scalar`.
public struct ModelLayerOpener<Scalar: CellScalar>: KernelOpener {
    /// An opener.
    @inlinable public init() {}

    /// `KernelLayer(kernel)`.
    /// - Throws: `CellForgeError` if the kernel computes in another scalar type.
    @inlinable
    public func open<K: GeneratedKernel>(_ kernel: K) throws -> any ModelLayer<Scalar> {
        guard let layer = KernelLayer(kernel) as? any ModelLayer<Scalar> else {
            throw CellForgeError.invalidArgument("kernel \(KernelKey(K.self)) computes in \(K.Scalar.typeName), the model in \(Scalar.typeName)")
        }
        return layer
    }
}

extension ModelArchitecture {
    /// One layer per layer of the architecture: recurrent layers opened from `registry`, dense
    /// and activation layers as `DenseLayer` and `ActivationLayer`.
    /// - Throws: `checkKernels(in:scalar:)`'s one-line error when a size has no kernel (checked
    ///   for every layer before any is opened), or the registry's error naming the layer.
    @inlinable
    public func openLayers<R: KernelRegistry, S: CellScalar>(_ registry: R.Type, scalar: S.Type = S.self) throws -> [any ModelLayer<S>] {
        try checkKernels(in: registry, scalar: ScalarType(S.self))
        return try layers.enumerated().map { l, layer in
            guard case let .recurrent(shape) = layer else { return Self.openPointwise(layer, scalar: S.self) }
            let key = shape.kernelKey(scalar: ScalarType(S.self))
            do { return try R.open(key, with: ModelLayerOpener<S>()) } catch let error as CellForgeError {
                throw CellForgeError.invalidArgument("layer \(l) (\(key)): \(error)")
            }
        }
    }

    /// Reference-cell layers for the recurrent layers (plain loops, any size), dense and
    /// activation layers as in `openLayers`: the slow baseline behind the same interface.
    public func referenceLayers<S: CellScalar>(_: S.Type = S.self) -> [any ModelLayer<S>] {
        layers.map { layer in
            guard case let .recurrent(s) = layer else { return Self.openPointwise(layer, scalar: S.self) }
            return KernelLayer(try! ReferenceKernel<S>(kind: s.kind, hiddenSize: s.hiddenSize, inputSize: s.inputSize))
        }
    }

    /// The model's layers with `recurrent` (one per recurrent layer, in order, e.g.
    /// `KernelLayer(LSTM_H8_D1_Float())`) for its recurrent layers and `DenseLayer` and
    /// `ActivationLayer` for the others.
    /// - Throws: `CellForgeError.shapeMismatch` if the count of `recurrent` is not the model's
    ///   count of recurrent layers (a kernel of the wrong sizes is refused where the layers are used).
    public func openLayers<S: CellScalar>(recurrent: [any ModelLayer<S>]) throws -> [any ModelLayer<S>] {
        guard recurrent.count == recurrentLayers.count else {
            throw CellForgeError.shapeMismatch(name: "recurrent layers", expected: "\(recurrentLayers.count) (\(self))",
                                               actual: "\(recurrent.count)")
        }
        var next = recurrent.makeIterator()
        return layers.map { layer in
            if case .recurrent = layer { next.next()! } else { Self.openPointwise(layer, scalar: S.self) }
        }
    }

    /// The layer computing a dense or activation `shape` (a contract: not a recurrent one).
    @usableFromInline
    static func openPointwise<S: CellScalar>(_ shape: LayerShape, scalar _: S.Type) -> any ModelLayer<S> {
        switch shape {
        case let .dense(s): DenseLayer<S>(shape: s)
        case let .activation(s): ActivationLayer<S>(shape: s)
        case .recurrent: fatalError("openPointwise: \(shape) is recurrent")
        }
    }
}
