/// An activation layer of a sequential model: `ActivationMath` applied to every step.
///
/// Packed parameter storage is the canonical `ActivationParameters.values` (PReLU's slopes,
/// nothing for the other kinds), so packing and unpacking are copies.
///
/// On a `KernelBatch`: forward reads `input` (z, `count` sequences × `length` steps × size,
/// stride `inputStride`) and writes `output` (required, stride `outputStride`); `state` and
/// `tape` are ignored. Backward reads `input`, `output` (y as forward wrote it) and
/// `outputGradient` (δy, required), writes `inputGradient` (δz) when non-nil, and for PReLU adds
/// the slopes' gradient to `parameterGradient`, summed by sequence, then step, then feature,
/// so a batch gives the same bits as its sequences one at a time. Nothing is allocated.
public struct ActivationLayer<Scalar: CellScalar>: Sendable {
    /// The function and size.
    public let activationShape: ActivationLayerShape

    /// The layer for `shape`.
    public init(shape: ActivationLayerShape) {
        activationShape = shape
    }

    /// `.activation(activationShape)`.
    public var shape: LayerShape { .activation(activationShape) }
    /// No state: 0.
    public var stateSize: Int { 0 }
    /// `activationShape.parameterCount`: packed storage is the canonical values.
    public var parameterStorageCount: Int { activationShape.parameterCount }
    /// Steps are independent: 1.
    public var interleave: Int { 1 }
    /// No tape: 0.
    public func tapeCount(length _: Int) -> Int { 0 }

    /// y_t = f(z_t) for every step of every sequence of the batch.
    /// Runs code specialised for Float and Double (the layer is called through `any ModelLayer`,
    /// whose witness is generic).
    public func forward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>) {
        if Scalar.self == Float.self {
            ActivationSteps.forward(activationShape, UnsafePointer<Float>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Float>.self))
        } else if Scalar.self == Double.self {
            ActivationSteps.forward(activationShape, UnsafePointer<Double>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Double>.self))
        } else {
            ActivationSteps.forward(activationShape, parameters, batch)
        }
    }

    /// Runs code specialised for Float and Double, as `forward`.
    public func backward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>,
                         parameterGradient: UnsafeMutablePointer<Scalar>) {
        if Scalar.self == Float.self {
            ActivationSteps.backward(activationShape, UnsafePointer<Float>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Float>.self),
                               UnsafeMutablePointer<Float>(OpaquePointer(parameterGradient)))
        } else if Scalar.self == Double.self {
            ActivationSteps.backward(activationShape, UnsafePointer<Double>(OpaquePointer(parameters)), unsafeBitCast(batch, to: KernelBatch<Double>.self),
                               UnsafeMutablePointer<Double>(OpaquePointer(parameterGradient)))
        } else {
            ActivationSteps.backward(activationShape, parameters, batch, parameterGradient)
        }
    }
}

/// The layer's steps for one scalar type, outside the generic layer type so that a call with
/// Float or Double compiles to code for that type (Swift does not specialise a generic
/// function of a generic type for one of two parameters).
enum ActivationSteps {
    static func forward<S: CellScalar>(_ activationShape: ActivationLayerShape, _ parameters: UnsafePointer<S>, _ batch: KernelBatch<S>) {
        guard batch.count > 0, batch.length > 0 else { return }
        Contract.require(batch.output != nil, "activation layer forward needs the batch's output buffer")
        let output = batch.output!, n = activationShape.size, kind = activationShape.kind
        let slopes: UnsafePointer<S>? = kind == .prelu ? parameters : nil
        for b in 0..<batch.count {
            let z = batch.input + b * batch.inputStride, y = output + b * batch.outputStride
            for t in 0..<batch.length {
                ActivationMath.forward(kind, z: z + t * n, y: y + t * n, count: n, slopes: slopes)
            }
        }
    }

    /// δz_t from z_t, y_t and δy_t for every step (into `inputGradient` when non-nil); PReLU adds
    /// its slopes' gradient to `parameterGradient`.

    static func backward<S: CellScalar>(_ activationShape: ActivationLayerShape, _ parameters: UnsafePointer<S>, _ batch: KernelBatch<S>,
                                             _ parameterGradient: UnsafeMutablePointer<S>) {
        guard batch.count > 0, batch.length > 0 else { return }
        Contract.require(batch.output != nil, "activation layer backward needs the outputs forward wrote")
        Contract.require(batch.outputGradient != nil, "activation layer backward needs the output gradient")
        let output = batch.output!, outputGradient = batch.outputGradient!
        let n = activationShape.size, kind = activationShape.kind
        let isPReLU = kind == .prelu
        let slopes: UnsafePointer<S>? = isPReLU ? parameters : nil
        let slopeGradient: UnsafeMutablePointer<S>? = isPReLU ? parameterGradient : nil
        for b in 0..<batch.count {
            let z = batch.input + b * batch.inputStride, y = output + b * batch.outputStride
            let dy = outputGradient + b * batch.outputStride
            let dz = batch.inputGradient.map { $0 + b * batch.inputStride }
            for t in 0..<batch.length {
                ActivationMath.backward(kind, z: z + t * n, y: y + t * n, dy: dy + t * n, dz: dz.map { $0 + t * n },
                                        count: n, slopes: slopes, slopeGradient: slopeGradient)
            }
        }
    }
}
