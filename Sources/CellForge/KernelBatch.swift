/// Several sequences of the same length as a kernel sees them: each with its own buffers at a constant
/// stride from the first one's: sequence b's input is at `input + b·inputStride`,
/// its state at `state + b·stateStride`, and so on. Kernels run such a batch
/// together, interleaving the sequences so each weight load serves all of them.
///
/// Pointers are not validated (see `RecurrentKernel` for the sizes each needs per
/// sequence); optional buffers that are nil are neither read nor written.
public struct KernelBatch<Scalar: CellScalar> {
    /// Number of sequences.
    public var count: Int
    /// Steps in each sequence (≥ 0).
    public var length: Int
    /// x_1…x_T of sequence 0 (`length`·D scalars each).
    public var input: UnsafePointer<Scalar>
    /// Scalars from one sequence's input to the next's.
    public var inputStride: Int
    /// Initial state in, final state out (`stateSize` scalars each); required by forward.
    public var state: UnsafeMutablePointer<Scalar>?
    /// Scalars from one sequence's state to the next's.
    public var stateStride: Int
    /// h_1…h_T out (`length`·H scalars each), or nil.
    public var output: UnsafeMutablePointer<Scalar>?
    /// Scalars from one sequence's output (and output gradient) to the next's.
    public var outputStride: Int
    /// Tapes (`tapeCount(length:)` scalars each): written by forward, read by backward; nil for inference.
    public var tape: UnsafeMutablePointer<Scalar>?
    /// Scalars from one sequence's tape to the next's.
    public var tapeStride: Int
    /// Δ_t for backward (stride `outputStride`), or nil for zero.
    public var outputGradient: UnsafePointer<Scalar>?
    /// Gradient of the final state for backward (stride `stateStride`), or nil for zero.
    public var finalStateGradient: UnsafePointer<Scalar>?
    /// Receives δx_t in backward (stride `inputStride`), or nil.
    public var inputGradient: UnsafeMutablePointer<Scalar>?
    /// Receives the initial state's gradient in backward (stride `stateStride`), or nil.
    public var initialStateGradient: UnsafeMutablePointer<Scalar>?

    /// A batch with every buffer given explicitly.
    public init(count: Int, length: Int,
                input: UnsafePointer<Scalar>, inputStride: Int,
                state: UnsafeMutablePointer<Scalar>?, stateStride: Int,
                output: UnsafeMutablePointer<Scalar>? = nil, outputStride: Int = 0,
                tape: UnsafeMutablePointer<Scalar>? = nil, tapeStride: Int = 0,
                outputGradient: UnsafePointer<Scalar>? = nil, finalStateGradient: UnsafePointer<Scalar>? = nil,
                inputGradient: UnsafeMutablePointer<Scalar>? = nil,
                initialStateGradient: UnsafeMutablePointer<Scalar>? = nil) {
        self.count = count
        self.length = length
        self.input = input
        self.inputStride = inputStride
        self.state = state
        self.stateStride = stateStride
        self.output = output
        self.outputStride = outputStride
        self.tape = tape
        self.tapeStride = tapeStride
        self.outputGradient = outputGradient
        self.finalStateGradient = finalStateGradient
        self.inputGradient = inputGradient
        self.initialStateGradient = initialStateGradient
    }

    /// Sequence b alone, as a batch of one.
    public func sequence(_ b: Int) -> KernelBatch {
        KernelBatch(count: 1, length: length,
                      input: input + b * inputStride, inputStride: inputStride,
                      state: state.map { $0 + b * stateStride }, stateStride: stateStride,
                      output: output.map { $0 + b * outputStride }, outputStride: outputStride,
                      tape: tape.map { $0 + b * tapeStride }, tapeStride: tapeStride,
                      outputGradient: outputGradient.map { $0 + b * outputStride },
                      finalStateGradient: finalStateGradient.map { $0 + b * stateStride },
                      inputGradient: inputGradient.map { $0 + b * inputStride },
                      initialStateGradient: initialStateGradient.map { $0 + b * stateStride })
    }
}

extension RecurrentKernel {
    /// Runs every sequence of the batch through `forward`, one after another.
    public func forwardEachSequence(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>) {
        for b in 0..<batch.count {
            let s = batch.sequence(b)
            guard let state = s.state else { fatalError("forward needs the batch's state buffer") }
            forward(parameters: parameters, input: s.input, length: s.length, state: state, output: s.output, tape: s.tape)
        }
    }

    /// Runs every sequence of the batch through `backward`, one after another.
    public func backwardEachSequence(parameters: UnsafePointer<Scalar>, batch: KernelBatch<Scalar>,
                                     parameterGradient: UnsafeMutablePointer<Scalar>) {
        Contract.require(batch.tape != nil || batch.count == 0, "backward needs the tapes forward recorded")
        for b in 0..<batch.count {
            let s = batch.sequence(b)
            backward(parameters: parameters, input: s.input, length: s.length, tape: s.tape!,
                     outputGradient: s.outputGradient, finalStateGradient: s.finalStateGradient,
                     inputGradient: s.inputGradient, initialStateGradient: s.initialStateGradient,
                     parameterGradient: parameterGradient)
        }
    }
}
