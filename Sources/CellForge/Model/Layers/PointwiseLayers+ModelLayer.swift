/// Dense and activation layers as model layers: packed storage is the canonical values, so
/// packing and unpacking are copies (a contract: the parameters have the layer's shape,
/// which `PackedModel` checks first).
extension DenseLayer: ModelLayer {
    public func pack(_ parameters: LayerParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        Contract.require(parameters.shape == shape, "DenseLayer.pack: \(parameters.shape) for \(shape)")
        _ = storage.update(fromContentsOf: parameters.values)
    }

    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> LayerParameters<Scalar> {
        var p = DenseParameters<Scalar>(shape: denseShape)
        p.values = Array(storage)
        return .dense(p)
    }
}

extension ActivationLayer: ModelLayer {
    public func pack(_ parameters: LayerParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        Contract.require(parameters.shape == shape, "ActivationLayer.pack: \(parameters.shape) for \(shape)")
        _ = storage.update(fromContentsOf: parameters.values)
    }

    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> LayerParameters<Scalar> {
        var p = ActivationParameters<Scalar>(shape: activationShape)
        p.values = Array(storage)
        return .activation(p)
    }
}
