extension BatchDriver {
    /// One training step over the batch: forward and backward for every sequence,
    /// gradients summed over the batch (not averaged), optional clipping of the
    /// global gradient norm, then one optimizer step.
    ///
    /// The step is refused, leaving the parameters and the optimizer (state included)
    /// exactly as they were, and the result says why (`TrainingStepResult.Refusal`), when:
    /// the loss or any gradient is NaN or infinite; the loss is larger than `Scalar` can
    /// hold (e.g. a Float target of 3e38: its loss, 4.5e76, is finite only in Double);
    /// the optimizer's update would leave a non-finite value; or every sequence has
    /// length 0 (no steps, so no optimizer step either).
    /// - Parameters:
    ///   - initialStates: N × `stateSize` scalars, or nil for zeros.
    ///   - supervision: targets for the L2 loss, or upstream gradients Δ_t (laid out like the outputs).
    ///   - inputGradients: receives δx_t for every step, laid out like the inputs (for a layer
    ///     below this one), or nil to skip computing it.
    /// - Throws: `CellForgeError` if a shape does not match (before computing anything),
    ///   or if the optimizer's state was sized for another parameter count.
    @inlinable
    public func train<O: Optimizer>(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]? = nil,
                                    supervision: BatchSupervision<Scalar>, optimizer: inout O,
                                    clipping: GradientClipping? = nil,
                                    inputGradients: UnsafeMutableBufferPointer<Scalar>? = nil) throws -> TrainingStepResult
    where O.Scalar == Scalar {
        inUse.enter()
        defer { inUse.leave() }
        try optimizer.checkState(parameterCount: kernel.parameterStorageCount)
        let loss = try accumulateGradient(batch, initialStates: initialStates, supervision: supervision,
                                          inputGradients: inputGradients)
        return takeTrainingStep(loss: loss, hasSteps: batch.totalSteps > 0, gradient: workspace.gradient,
                                parameters: storage, optimizer: &optimizer, clipping: clipping)
    }

    /// The batch's loss and summed gradient at the current parameters, without a step.
    /// - Parameter inputGradients: receives δx_t, laid out like the inputs, or nil.
    /// - Returns: the loss (nil for upstream gradients) and Σ over sequences of δθ, canonical layout.
    /// - Throws: `CellForgeError` if a shape does not match.
    @inlinable
    public func gradient(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]? = nil,
                         supervision: BatchSupervision<Scalar>,
                         inputGradients: UnsafeMutableBufferPointer<Scalar>? = nil) throws
    -> (loss: Double?, gradient: CellParameters<Scalar>) {
        inUse.enter()
        defer { inUse.leave() }
        let loss = try accumulateGradient(batch, initialStates: initialStates, supervision: supervision,
                                          inputGradients: inputGradients)
        return (loss, lastGradient)
    }

    /// Validates, runs forward + backward over every chunk, and leaves the batch's
    /// summed gradient in `workspace.gradient`; returns the summed loss (nil for
    /// upstream gradients).
    @inlinable
    func accumulateGradient(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]?,
                            supervision: BatchSupervision<Scalar>,
                            inputGradients: UnsafeMutableBufferPointer<Scalar>?) throws -> Double? {
        try validate(batch)
        if let inputGradients {
            guard inputGradients.count == batch.inputs.count else {
                throw CellForgeError.shapeMismatch(name: "input gradients", expected: "\(batch.inputs.count) values (like the inputs)",
                                                   actual: "\(inputGradients.count)")
            }
        }
        if let initialStates { try validate("initial states", count: initialStates.count, perStep: false, of: batch) }
        let isTargets = if case .targets = supervision { true } else { false }
        try validate(isTargets ? "targets" : "output gradients", count: supervision.values.count, perStep: true, of: batch)

        let chunks = chunkCount(sequences: batch.count)
        workspace.reserve(chunks: chunks, workers: workers(chunks: chunks), tapeCount: kernel.tapeCount(length: batch.maxLength),
                          outputCount: batch.maxLength * kernel.hiddenSize)
        batch.inputs.withUnsafeBufferPointer { x in
            batch.lengths.withUnsafeBufferPointer { lengths in
                batch.stepOffsets.withUnsafeBufferPointer { offsets in
                    supervision.values.withUnsafeBufferPointer { y in
                        withOptionalPointer(initialStates) { h0 in
                            forEachChunk(chunks) { c, w in
                                trainChunk(c, worker: w, x: x.baseAddress, lengths: lengths.baseAddress!,
                                           offsets: offsets.baseAddress!, count: batch.count, initialStates: h0,
                                           supervision: y.baseAddress, isTargets: isTargets,
                                           inputGradients: inputGradients?.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        let loss = workspace.reduce(chunks: chunks)
        return isTargets ? loss : nil
    }

    /// Chunk c on worker w: zeroes the chunk's gradient buffer, then takes its sequences in
    /// order, in runs of equal length cut into pieces of `kernel.interleave` (each piece one
    /// `KernelBatch`, which the kernel runs in lockstep, its tapes still in cache for the
    /// backward pass): forward, Δ = h − y (or the given Δ), and backward adding each
    /// sequence's gradient into the buffer in sequence order. Length-0 sequences contribute
    /// nothing.
    @inlinable
    func trainChunk(_ c: Int, worker w: Int, x: UnsafePointer<Scalar>?, lengths: UnsafePointer<Int>,
                    offsets: UnsafePointer<Int>, count: Int, initialStates: UnsafePointer<Scalar>?,
                    supervision: UnsafePointer<Scalar>?, isTargets: Bool, inputGradients: UnsafeMutablePointer<Scalar>?) {
        let (H, D, S) = (kernel.hiddenSize, kernel.inputSize, kernel.stateSize)
        let parameters = UnsafePointer(storage.baseAddress!)
        let gradient = workspace.chunkGradient(c)
        gradient.update(repeating: 0, count: workspace.parameterCount)
        var squares = 0.0
        let first = c * sequencesPerChunk
        forEachRun(from: first, to: min(count, first + sequencesPerChunk), lengths: lengths,
                   piece: workspace.slotCount) { n, run, length in
            guard let x, let supervision else { return }
            for r in 0..<run {
                let state = workspace.state(w, r)
                if let initialStates { state.update(from: initialStates + (n + r) * S, count: S) }
                else { state.update(repeating: 0, count: S) }
            }
            var sequences = KernelBatch(count: run, length: length, input: x + offsets[n] * D, inputStride: length * D,
                                        state: workspace.state(w, 0), stateStride: workspace.stateStride,
                                        output: workspace.output(w, 0), outputStride: workspace.outputStride,
                                        tape: workspace.tape(w, 0), tapeStride: workspace.tapeStride,
                                        inputGradient: inputGradients.map { $0 + offsets[n] * D })
            if isTargets {
                kernel.forward(parameters: parameters, batch: sequences)
                for r in 0..<run {
                    squares += Self.residual(workspace.output(w, r), minus: supervision + offsets[n + r] * H, count: length * H)
                }
                sequences.outputGradient = UnsafePointer(workspace.output(w, 0))
            } else {
                sequences.output = nil
                kernel.forward(parameters: parameters, batch: sequences)
                sequences.outputGradient = supervision + offsets[n] * H
                sequences.outputStride = length * H
            }
            kernel.backward(parameters: parameters, batch: sequences, parameterGradient: gradient)
        }
        workspace.chunkLosses[c] = squares / 2
    }
}

/// Calls `body(first, count, length)` for each run of consecutive sequences in first..<end
/// that share one length > 0, in order, cut into pieces of at most `piece` sequences.
@inlinable
func forEachRun(from first: Int, to end: Int, lengths: UnsafePointer<Int>, piece: Int, _ body: (Int, Int, Int) -> Void) {
    var n = first
    while n < end {
        var run = 1
        while n + run < end && run < piece && lengths[n + run] == lengths[n] { run += 1 }
        if lengths[n] > 0 { body(n, run, lengths[n]) }
        n += run
    }
}

extension BatchDriver {
    /// Overwrites h with Δ = h − y and returns Σ Δ², accumulated in Double in four
    /// interleaved partial sums (element k into sum k mod 4, then (s0 + s1) + (s2 + s3)):
    /// a fixed order, so deterministic, without one long chain of dependent adds.
    @inlinable
    static func residual(_ h: UnsafeMutablePointer<Scalar>, minus y: UnsafePointer<Scalar>, count: Int) -> Double {
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        var k = 0
        while k + 4 <= count {
            let d0 = h[k] - y[k], d1 = h[k + 1] - y[k + 1], d2 = h[k + 2] - y[k + 2], d3 = h[k + 3] - y[k + 3]
            (h[k], h[k + 1], h[k + 2], h[k + 3]) = (d0, d1, d2, d3)
            s0 += Double(d0) * Double(d0)
            s1 += Double(d1) * Double(d1)
            s2 += Double(d2) * Double(d2)
            s3 += Double(d3) * Double(d3)
            k += 4
        }
        while k < count {
            let d = h[k] - y[k]
            h[k] = d
            switch k & 3 {
            case 0: s0 += Double(d) * Double(d)
            case 1: s1 += Double(d) * Double(d)
            case 2: s2 += Double(d) * Double(d)
            default: s3 += Double(d) * Double(d)
            }
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }
}

/// Calls `body` with a pointer to the array's scalars, or nil for a nil array.
@inlinable
func withOptionalPointer<S, R>(_ array: [S]?, _ body: (UnsafePointer<S>?) throws -> R) rethrows -> R {
    guard let array else { return try body(nil) }
    return try array.withUnsafeBufferPointer { try body($0.baseAddress) }
}
