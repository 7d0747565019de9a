/// One recurrent layer of a model as the model's driver and streams call it: once per
/// piece of sequences (a `KernelBatch`), never per step, so the per-step loop runs in the
/// concrete kernel's code even though the model holds its layers as `any ModelLayer`.
public protocol ModelLayer<Scalar>: Sendable {
    /// The scalar type.
    associatedtype Scalar: CellScalar
    /// The layer's cell and sizes.
    var shape: RecurrentLayerShape { get }
    /// Scalars of state carried between steps (H, or 2H for LSTM: h then c).
    var stateSize: Int { get }
    /// Scalars of the layer's packed parameter storage.
    var parameterStorageCount: Int { get }
    /// Sequences the kernel runs in lockstep.
    var interleave: Int { get }
    /// Scalars of tape one sequence of `length` steps needs.
    func tapeCount(length: Int) -> Int
    /// Writes canonical parameters into packed storage.
    func pack(_ parameters: CellParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>)
    /// Reads canonical parameters (or gradients) out of packed storage.
    func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> CellParameters<Scalar>
    /// The kernel's batched forward (see `RecurrentKernel.forward(parameters:batch:)`).
    func forward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>)
    /// The kernel's batched backward (see `RecurrentKernel.backward(parameters:batch:parameterGradient:)`).
    func backward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>, parameterGradient: UnsafeMutablePointer<Scalar>)
}

/// A model layer backed by one concrete kernel type: every call goes straight to `K`'s code.
@frozen
public struct KernelLayer<K: RecurrentKernel>: ModelLayer {
    /// The kernel's scalar type.
    public typealias Scalar = K.Scalar
    /// The kernel.
    public let kernel: K
    /// The kernel's cell and sizes.
    public let shape: RecurrentLayerShape

    /// The layer running `kernel`.
    @inlinable
    public init(_ kernel: K) {
        self.kernel = kernel
        // A kernel's sizes are valid by construction.
        shape = try! RecurrentLayerShape(kind: kernel.kind, hiddenSize: kernel.hiddenSize, inputSize: kernel.inputSize)
    }

    @inlinable public var stateSize: Int { kernel.stateSize }
    @inlinable public var parameterStorageCount: Int { kernel.parameterStorageCount }
    @inlinable public var interleave: Int { kernel.interleave }
    @inlinable public func tapeCount(length: Int) -> Int { kernel.tapeCount(length: length) }
    @inlinable public func pack(_ parameters: CellParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        kernel.pack(parameters, into: storage)
    }
    @inlinable public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> CellParameters<Scalar> { kernel.unpack(storage) }
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
    /// One layer per recurrent layer: the registry's generated kernel where it has one, else the
    /// run-time kernel (`openRecurrentLayer`; `specialisation(in:scalar:)` says which is which).
    /// - Throws: the registry's or opener's error, naming the layer.
    @inlinable
    public func openLayers<R: KernelRegistry, S: CellScalar>(_ registry: R.Type, scalar: S.Type = S.self) throws -> [any ModelLayer<S>] {
        try layers.enumerated().map { l, layer in
            do { return try Self.openRecurrentLayer(layer, registry: registry, scalar: scalar) } catch let error as CellForgeError {
                throw CellForgeError.invalidArgument("layer \(l) (\(layer.kernelKey(scalar: ScalarType(S.self)))): \(error)")
            }
        }
    }

    /// Reference-cell layers (plain loops, any size): the slow baseline behind the same interface.
    public func referenceLayers<S: CellScalar>(_: S.Type = S.self) -> [any ModelLayer<S>] {
        layers.map { KernelLayer(try! ReferenceKernel<S>(kind: $0.kind, hiddenSize: $0.hiddenSize, inputSize: $0.inputSize)) }
    }
}
