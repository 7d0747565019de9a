/// A recurrent cell for one fixed (cell, H, D, scalar): the interface the batch
/// driver and the benchmarks use, implemented by every generated kernel.
///
/// Parameters, gradients and the per-sequence tape are flat scalar buffers owned
/// by the caller, so the kernel allocates nothing. Generic code calls a kernel
/// once per sequence; the per-step loop runs inside the kernel's concrete code.
///
/// The entry points take unsafe pointers and do not validate them (preconditions
/// below): validate once outside the hot path, as `BatchDriver` does.
public protocol RecurrentKernel: Sendable {
    associatedtype Scalar: CellScalar
    /// The cell kind.
    var kind: CellKind { get }
    /// H.
    var hiddenSize: Int { get }
    /// D.
    var inputSize: Int { get }
    /// Scalars of parameter storage (and of gradient storage, same layout).
    var parameterStorageCount: Int { get }
    /// Scalars of tape one sequence of `length` steps needs for forward + backward.
    func tapeCount(length: Int) -> Int
    /// Sequences the batched entry points run in lockstep (1 if they run one at a time):
    /// batches of a multiple of it share weight loads best.
    var interleave: Int { get }
    /// Writes canonical parameters into storage of `parameterStorageCount` scalars.
    func pack(_ parameters: CellParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>)
    /// Reads canonical parameters (or gradients) from storage.
    func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> CellParameters<Scalar>

    /// Runs `length` ≥ 0 steps.
    /// - Parameters:
    ///   - parameters: `parameterStorageCount` scalars, as written by `pack`.
    ///   - input: x_1…x_T, `length`·D scalars, step-major.
    ///   - state: in: the initial state, out: the final state; `stateSize` scalars [h (H), c (H) for LSTM].
    ///   - output: h_1…h_T (`length`·H scalars), or nil.
    ///   - tape: `tapeCount(length:)` scalars to record what `backward` needs, or nil for inference.
    func forward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, length: Int,
                 state: UnsafeMutablePointer<Scalar>, output: UnsafeMutablePointer<Scalar>?,
                 tape: UnsafeMutablePointer<Scalar>?)

    /// Backpropagation through time over the `length` steps `forward` recorded in `tape`.
    /// - Parameters:
    ///   - outputGradient: Δ_t for every step (`length`·H scalars), or nil for zero.
    ///   - finalStateGradient: ∂L/∂ of the final state (`stateSize` scalars), or nil for zero.
    ///   - inputGradient: receives δx_t (`length`·D scalars), or nil.
    ///   - initialStateGradient: receives ∂L/∂ of the initial state (`stateSize` scalars), or nil.
    ///   - parameterGradient: `parameterStorageCount` scalars; the gradient is *added* to it.
    func backward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, length: Int,
                  tape: UnsafeMutablePointer<Scalar>,
                  outputGradient: UnsafePointer<Scalar>?, finalStateGradient: UnsafePointer<Scalar>?,
                  inputGradient: UnsafeMutablePointer<Scalar>?, initialStateGradient: UnsafeMutablePointer<Scalar>?,
                  parameterGradient: UnsafeMutablePointer<Scalar>)

    /// Runs `forward` for every sequence of `batch`. Results equal calling `forward` on each
    /// sequence in turn, bit for bit; kernels may interleave sequences to share weight loads.
    func forward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>)

    /// Runs `backward` for every sequence of `batch` (whose tapes `forward` filled), adding
    /// their parameter gradients to `parameterGradient` in sequence order. Results equal
    /// calling `backward` on each sequence in turn, bit for bit.
    func backward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>,
                  parameterGradient: UnsafeMutablePointer<Scalar>)
}

extension RecurrentKernel {
    /// One: sequences run one after another.
    public var interleave: Int { 1 }

    /// One sequence after another.
    public func forward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>) {
        forwardEachSequence(parameters: parameters, batch: batch)
    }

    /// One sequence after another.
    public func backward(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>,
                         parameterGradient: UnsafeMutablePointer<Scalar>) {
        backwardEachSequence(parameters: parameters, batch: batch, parameterGradient: parameterGradient)
    }

    /// Scalars of state carried between steps: H, or 2H for LSTM (h then c).
    public var stateSize: Int { hiddenSize * kind.stateVectorCount }
}

/// A generated kernel: a `RecurrentKernel` whose storage and tape follow a `KernelLayout`.
public protocol GeneratedKernel: RecurrentKernel {
    /// The layout the kernel was generated for.
    static var layout: KernelLayout { get }
    /// A kernel (they are stateless; parameters live in caller buffers).
    init()
}

extension GeneratedKernel {
    public var kind: CellKind { Self.layout.kind }
    public var hiddenSize: Int { Self.layout.hiddenSize }
    public var inputSize: Int { Self.layout.inputSize }
    public var parameterStorageCount: Int { Self.layout.parameterStorageCount }
    public func tapeCount(length: Int) -> Int { Self.layout.tapeCount(length: length) }
    public func pack(_ parameters: CellParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        Self.layout.pack(parameters, into: storage)
    }
    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> CellParameters<Scalar> {
        Self.layout.unpack(storage)
    }
}
