/// A dense layer of a sequential model: y_t = W·x_t + b at every step, W [O × I], b [O].
///
/// Packed parameter storage is the canonical `DenseParameters.values` (W row-major, then b),
/// so packing and unpacking are copies.
///
/// On a `KernelBatch`: forward reads `input` (x, `count` sequences × `length` steps × I, stride
/// `inputStride`) and writes `output` (required, O per step, stride `outputStride`); `state` and
/// `tape` are ignored. Backward reads `input` and `outputGradient` (δy, required), writes
/// δx = Wᵀ·δy to `inputGradient` when non-nil and adds δW += δy ⊗ x, δb += δy to
/// `parameterGradient`, summed by sequence, then step, so a batch gives the same bits as its
/// sequences one at a time. The arithmetic is `DenseMath`'s. Nothing is allocated.
public struct DenseLayer<Scalar: CellScalar>: Sendable {
    /// I and O.
    public let denseShape: DenseLayerShape

    /// The layer for `shape`.
    public init(shape: DenseLayerShape) {
        denseShape = shape
    }

    /// `.dense(denseShape)`.
    public var shape: LayerShape { .dense(denseShape) }
    /// No state: 0.
    public var stateSize: Int { 0 }
    /// O·(I + 1): packed storage is the canonical values.
    public var parameterStorageCount: Int { denseShape.parameterCount }
    /// Steps are independent: 1.
    public var interleave: Int { 1 }
    /// No tape: 0.
    public func tapeCount(length _: Int) -> Int { 0 }

    /// y_t = W·x_t + b for every step of every sequence of the batch.
    /// Runs code specialised for Float and Double (the layer is called through `any ModelLayer`,
    /// whose witness is generic).
    public func forward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>) {
        if Scalar.self == Float.self {
            DenseSteps.forward(denseShape, UnsafePointer<Float>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Float>.self))
        } else if Scalar.self == Double.self {
            DenseSteps.forward(denseShape, UnsafePointer<Double>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Double>.self))
        } else {
            DenseSteps.forward(denseShape, parameters, batch)
        }
    }

    /// Runs code specialised for Float and Double, as `forward`.
    public func backward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>,
                         parameterGradient: UnsafeMutablePointer<Scalar>) {
        if Scalar.self == Float.self {
            DenseSteps.backward(denseShape, UnsafePointer<Float>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Float>.self),
                               UnsafeMutablePointer<Float>(OpaquePointer(parameterGradient)))
        } else if Scalar.self == Double.self {
            DenseSteps.backward(denseShape, UnsafePointer<Double>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Double>.self),
                               UnsafeMutablePointer<Double>(OpaquePointer(parameterGradient)))
        } else {
            DenseSteps.backward(denseShape, parameters, batch, parameterGradient)
        }
    }
}

/// The layer's steps for one scalar type, outside the generic layer type so that a call with
/// Float or Double compiles to code for that type (Swift does not specialise a generic
/// function of a generic type for one of two parameters).
enum DenseSteps {
    static func forward<S: CellScalar>(_ denseShape: DenseLayerShape, _ parameters: UnsafePointer<S>, _ batch: KernelBatch<S>) {
        guard batch.count > 0, batch.length > 0 else { return }
        Contract.require(batch.output != nil, "dense layer forward needs the batch's output buffer")
        let output = batch.output!, (I, O) = (denseShape.inputSize, denseShape.outputSize)
        for b in 0..<batch.count {
            let x = batch.input + b * batch.inputStride, y = output + b * batch.outputStride
            for t in 0..<batch.length {
                DenseMath.forward(parameters, inputSize: I, outputSize: O, x: x + t * I, y: y + t * O)
            }
        }
    }

    /// δx_t = Wᵀ·δy_t for every step (into `inputGradient` when non-nil); adds δW and δb to
    /// `parameterGradient` (O·(I + 1) scalars, the parameters' layout).

    static func backward<S: CellScalar>(_ denseShape: DenseLayerShape, _ parameters: UnsafePointer<S>, _ batch: KernelBatch<S>,
                                             _ parameterGradient: UnsafeMutablePointer<S>) {
        guard batch.count > 0, batch.length > 0 else { return }
        Contract.require(batch.outputGradient != nil, "dense layer backward needs the output gradient")
        let outputGradient = batch.outputGradient!, (I, O) = (denseShape.inputSize, denseShape.outputSize)
        for b in 0..<batch.count {
            let x = batch.input + b * batch.inputStride, dy = outputGradient + b * batch.outputStride
            let dx = batch.inputGradient.map { $0 + b * batch.inputStride }
            for t in 0..<batch.length {
                DenseMath.backward(parameters, inputSize: I, outputSize: O, x: x + t * I, dy: dy + t * O,
                                   dx: dx.map { $0 + t * I }, gradient: parameterGradient)
            }
        }
    }
}
