/// Which kernel one recurrent layer of a model runs, as `ModelArchitecture.specialisation(in:scalar:)`
/// reports it: a generated kernel from the registry, or the run-time kernel (`RuntimeKernel`)
/// because the registry has none for the layer's cell, sizes and scalar.
public struct LayerSpecialisation: Equatable, Sendable, CustomStringConvertible {
    /// The layer's index in the architecture's layers.
    public let layer: Int
    /// The layer's cell and sizes.
    public let shape: RecurrentLayerShape
    /// For a generated layer, the kernel it runs (with its width); for a run-time layer, the
    /// kernel that would specialise it (without a width).
    public let key: KernelKey
    /// Whether the layer runs a generated kernel.
    public let isGenerated: Bool
    /// The registry the layer was looked up in, as its type is named.
    public let registry: String

    /// A layer's report.
    public init(layer: Int, shape: RecurrentLayerShape, key: KernelKey, isGenerated: Bool, registry: String) {
        self.layer = layer
        self.shape = shape
        self.key = key
        self.isGenerated = isGenerated
        self.registry = registry
    }

    /// For a run-time layer, one line naming the manifest entry that would specialise it; nil
    /// for a generated layer.
    public var note: String? {
        guard !isGenerated else { return nil }
        return "layer \(layer) (\(key)) runs on the run-time kernel: to specialise it, add \(key.manifestEntry) "
            + "to the kernels.json of the registry in use (\(registry)) and regenerate that registry with codegen --manifest"
    }

    /// "layer 0 (LSTM H8 D1 Float 256-bit): generated", or the note.
    public var description: String { note ?? "layer \(layer) (\(key)): generated" }
}

extension ModelArchitecture {
    /// For every recurrent layer, bottom first, whether `registry` has a generated kernel for it
    /// in `scalar` or the layer runs on the run-time kernel (`openRecurrentLayer` decides the same way).
    public func specialisation<R: KernelRegistry>(in registry: R.Type, scalar: ScalarType) -> [LayerSpecialisation] {
        layers.enumerated().compactMap { l, layer in
            guard case let .recurrent(shape) = layer else { return nil }
            let key = shape.kernelKey(scalar: scalar)
            let found = key.resolved(among: R.keys)
            return LayerSpecialisation(layer: l, shape: shape, key: found ?? key, isGenerated: found != nil,
                                       registry: "\(R.self)")
        }
    }

    /// The one-line notes of the layers that run on the run-time kernel (see `specialisation(in:scalar:)`);
    /// empty when every layer is specialised.
    public func runTimeLayerNotes<R: KernelRegistry>(in registry: R.Type, scalar: ScalarType) -> [String] {
        specialisation(in: registry, scalar: scalar).compactMap(\.note)
    }

    /// One recurrent layer as a model layer of scalar type `S`: the generated kernel for its cell,
    /// sizes and `S` when `registry` has one (opened through it, so the layer's code is specialised
    /// for that kernel), else the run-time kernel for the same cell and sizes.
    /// - Throws: the registry's or opener's `CellForgeError` (a kernel in another scalar type).
    @inlinable
    public static func openRecurrentLayer<R: KernelRegistry, S: CellScalar>(_ shape: RecurrentLayerShape, registry: R.Type,
                                                                           scalar: S.Type = S.self) throws -> any ModelLayer<S> {
        let key = shape.kernelKey(scalar: ScalarType(S.self))
        guard R.contains(key) else {
            return KernelLayer(try RuntimeKernel<S>(kind: shape.kind, hiddenSize: shape.hiddenSize, inputSize: shape.inputSize))
        }
        return try R.open(key, with: ModelLayerOpener<S>())
    }
}
