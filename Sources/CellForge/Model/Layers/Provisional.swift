// PROVISIONAL (replaced by the layers branch): plain dense and activation layers.
public struct DenseLayer<Scalar: CellScalar>: ModelLayer {
    public let dense: DenseLayerShape
    public init(shape: DenseLayerShape) { dense = shape }
    public var shape: LayerShape { .dense(dense) }
    public var stateSize: Int { 0 }
    public var parameterStorageCount: Int { dense.parameterCount }
    public var interleave: Int { 1 }
    public func tapeCount(length: Int) -> Int { 0 }
    public func pack(_ parameters: LayerParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        _ = storage.update(fromContentsOf: parameters.values)
    }
    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> LayerParameters<Scalar> {
        var p = DenseParameters<Scalar>(shape: dense); p.values = Array(storage); return .dense(p)
    }
    public func forward(parameters w: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>) {
        let (I, O) = (dense.inputSize, dense.outputSize)
        for n in 0..<batch.count {
            for t in 0..<batch.length {
                let x = batch.input + n * batch.inputStride + t * I, y = batch.output! + n * batch.outputStride + t * O
                for o in 0..<O {
                    var z = w[O * I + o]
                    for j in 0..<I { z += w[o * I + j] * x[j] }
                    y[o] = z
                }
            }
        }
    }
    public func backward(parameters w: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>, parameterGradient g: UnsafeMutablePointer<Scalar>) {
        let (I, O) = (dense.inputSize, dense.outputSize)
        for n in 0..<batch.count {
            for t in 0..<batch.length {
                let x = batch.input + n * batch.inputStride + t * I, dy = batch.outputGradient! + n * batch.outputStride + t * O
                let dx = batch.inputGradient.map { $0 + n * batch.inputStride + t * I }
                dx?.update(repeating: 0, count: I)
                for o in 0..<O {
                    for j in 0..<I { g[o * I + j] += dy[o] * x[j]; dx?[j] += w[o * I + j] * dy[o] }
                    g[O * I + o] += dy[o]
                }
            }
        }
    }
}

public struct ActivationLayer<Scalar: CellScalar>: ModelLayer {
    public let activation: ActivationLayerShape
    public init(shape: ActivationLayerShape) { activation = shape }
    public var shape: LayerShape { .activation(activation) }
    public var stateSize: Int { 0 }
    public var parameterStorageCount: Int { activation.parameterCount }
    public var interleave: Int { 1 }
    public func tapeCount(length: Int) -> Int { 0 }
    public func pack(_ parameters: LayerParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        _ = storage.update(fromContentsOf: parameters.values)
    }
    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> LayerParameters<Scalar> {
        var p = ActivationParameters<Scalar>(shape: activation); p.values = Array(storage); return .activation(p)
    }
    public func forward(parameters a: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>) {
        let N = activation.size
        for n in 0..<batch.count {
            for t in 0..<batch.length {
                let x = batch.input + n * batch.inputStride + t * N, y = batch.output! + n * batch.outputStride + t * N
                switch activation.kind {
                case .identity: for i in 0..<N { y[i] = x[i] }
                case .tanh: for i in 0..<N { y[i] = Scalar.tanh(x[i]) }
                case .sigmoid: for i in 0..<N { y[i] = Scalar.sigmoid(x[i]) }
                case .relu: for i in 0..<N { y[i] = x[i] > 0 ? x[i] : 0 }
                case let .leakyReLU(s): for i in 0..<N { y[i] = x[i] > 0 ? x[i] : Scalar(s) * x[i] }
                case let .elu(al): for i in 0..<N { y[i] = x[i] > 0 ? x[i] : Scalar(al) * (Scalar.exp(x[i]) - 1) }
                case .prelu: for i in 0..<N { y[i] = x[i] > 0 ? x[i] : a[i] * x[i] }
                case .softmax:
                    var m = x[0]; for i in 0..<N { m = max(m, x[i]) }
                    var s: Scalar = 0; for i in 0..<N { y[i] = Scalar.exp(x[i] - m); s += y[i] }
                    for i in 0..<N { y[i] /= s }
                }
            }
        }
    }
    public func backward(parameters a: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>, parameterGradient g: UnsafeMutablePointer<Scalar>) {
        let N = activation.size
        for n in 0..<batch.count {
            for t in 0..<batch.length {
                let x = batch.input + n * batch.inputStride + t * N, y = batch.output! + n * batch.outputStride + t * N
                let dy = batch.outputGradient! + n * batch.outputStride + t * N
                var dot: Scalar = 0
                if activation.kind == .softmax { for i in 0..<N { dot += dy[i] * y[i] } }
                for i in 0..<N {
                    let d: Scalar = switch activation.kind {
                    case .identity: dy[i]
                    case .tanh: dy[i] * (1 - y[i] * y[i])
                    case .sigmoid: dy[i] * y[i] * (1 - y[i])
                    case .relu: x[i] > 0 ? dy[i] : 0
                    case let .leakyReLU(s): x[i] > 0 ? dy[i] : Scalar(s) * dy[i]
                    case let .elu(al): x[i] > 0 ? dy[i] : dy[i] * Scalar(al) * Scalar.exp(x[i])
                    case .prelu: x[i] > 0 ? dy[i] : a[i] * dy[i]
                    case .softmax: y[i] * (dy[i] - dot)
                    }
                    if activation.kind == .prelu, !(x[i] > 0) { g[i] += dy[i] * x[i] }
                    batch.inputGradient.map { ($0 + n * batch.inputStride + t * N)[i] = d }
                }
            }
        }
    }
}
