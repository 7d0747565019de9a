/// A recurrent kernel for any cell, H and D (1…`CellParameters.maximumSize`) in Float or
/// Double, sized when it is made rather than when it is generated: what a model runs for a
/// layer whose sizes have no generated kernel in its registry.
///
/// It computes what a generated kernel computes, with the same activations (`SIMDMath`), on
/// 256-bit vectors (8 Float or 4 Double lanes) whose loops run to the sizes in its
/// `RuntimeLayout`; storage and tape follow that layout, not `KernelLayout`. Sequences run one
/// at a time (`interleave` 1). Forward with a tape and backward allocate nothing; inference
/// without a tape takes two records of scratch from the stack (`StackScratch`; from the heap
/// above its 32 KiB): pass a tape to never allocate.
public struct RuntimeKernel<Scalar: CellScalar>: RecurrentKernel {
    /// Where parameters and tape live.
    public let layout: RuntimeLayout

    /// The kernel for a cell of these sizes.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ H, D ≤ `CellParameters.maximumSize`.
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int) throws {
        try CellParameters<Scalar>.validate(hiddenSize: hiddenSize, inputSize: inputSize)
        layout = RuntimeLayout(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize,
                               vectorWidth: Scalar.self == Double.self ? 4 : 8)
    }

    public var kind: CellKind { layout.kind }
    public var hiddenSize: Int { layout.hiddenSize }
    public var inputSize: Int { layout.inputSize }
    public var parameterStorageCount: Int { layout.parameterStorageCount }
    public func tapeCount(length: Int) -> Int { layout.tapeCount(length: length) }

    public func pack(_ parameters: CellParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        layout.pack(parameters, into: storage)
    }

    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> CellParameters<Scalar> {
        layout.unpack(storage)
    }

    public func forward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, length: Int,
                        state: UnsafeMutablePointer<Scalar>, output: UnsafeMutablePointer<Scalar>?,
                        tape: UnsafeMutablePointer<Scalar>?) {
        Contract.require(length >= 0, "RuntimeKernel.forward: length \(length) is negative")
        guard let tape else {
            StackScratch.with(Scalar.self, capacity: layout.inferenceCount) {
                forward(parameters, input, length, state, output, $0, ring: true)
            }
            return
        }
        forward(parameters, input, length, state, output, tape, ring: false)
    }

    public func backward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, length: Int,
                         tape: UnsafeMutablePointer<Scalar>,
                         outputGradient: UnsafePointer<Scalar>?, finalStateGradient: UnsafePointer<Scalar>?,
                         inputGradient: UnsafeMutablePointer<Scalar>?, initialStateGradient: UnsafeMutablePointer<Scalar>?,
                         parameterGradient: UnsafeMutablePointer<Scalar>) {
        Contract.require(length >= 0, "RuntimeKernel.backward: length \(length) is negative")
        if Scalar.self == Float.self {
            RuntimeCell<SIMD8<Float>>(layout: layout).backward(
                cast(parameters), cast(input), length, cast(tape), outputGradient.map(cast), finalStateGradient.map(cast),
                inputGradient.map(cast), initialStateGradient.map(cast), cast(parameterGradient))
        } else {
            RuntimeCell<SIMD4<Double>>(layout: layout).backward(
                cast(parameters), cast(input), length, cast(tape), outputGradient.map(cast), finalStateGradient.map(cast),
                inputGradient.map(cast), initialStateGradient.map(cast), cast(parameterGradient))
        }
    }

    /// The forward on the vector type of `Scalar`.
    private func forward(_ w: UnsafePointer<Scalar>, _ x: UnsafePointer<Scalar>, _ length: Int,
                         _ state: UnsafeMutablePointer<Scalar>, _ output: UnsafeMutablePointer<Scalar>?,
                         _ tape: UnsafeMutablePointer<Scalar>, ring: Bool) {
        if Scalar.self == Float.self {
            RuntimeCell<SIMD8<Float>>(layout: layout).forward(cast(w), cast(x), length, cast(state), output.map(cast),
                                                              cast(tape), ring: ring)
        } else {
            RuntimeCell<SIMD4<Double>>(layout: layout).forward(cast(w), cast(x), length, cast(state), output.map(cast),
                                                               cast(tape), ring: ring)
        }
    }
}

/// `p` as a pointer to `T`, the same type as the caller's `Scalar` (checked by the caller).
@inline(__always)
private func cast<From, T>(_ p: UnsafePointer<From>) -> UnsafePointer<T> {
    UnsafeRawPointer(p).assumingMemoryBound(to: T.self)
}

/// `p` as a mutable pointer to `T`, the same type as the caller's `Scalar` (checked by the caller).
@inline(__always)
private func cast<From, T>(_ p: UnsafeMutablePointer<From>) -> UnsafeMutablePointer<T> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: T.self)
}
