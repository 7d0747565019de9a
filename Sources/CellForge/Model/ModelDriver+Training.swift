extension ModelDriver {
    /// One training step over the batch, in one forward pass per sequence: forward through every
    /// layer, the loss and Δy, backward through every layer (δx of layer l + 1 is the output
    /// gradient of layer l at every step), gradients summed over the batch, optional
    /// clipping of the global norm over all parameters, then one optimizer step on the flat buffer.
    ///
    /// Steps are refused (`takeTrainingStep` decides): no steps in the
    /// batch, a non-finite loss or gradient, a loss too large for `Scalar`, or an optimizer update
    /// that would leave a non-finite value. Parameters and optimizer (state included) are then left
    /// exactly as they were, and the result says why (`TrainingStepResult.Refusal`).
    /// - Parameters:
    ///   - initialStates: N × `model.stateSize` scalars, or nil for zeros.
    ///   - buffers: optional outputs, final states, state gradients and input gradients.
    /// - Returns: the loss (MSE: the mean; L2: the sum; custom: the sum of its per-sequence values;
    ///   nil for output gradients).
    /// - Throws: `CellForgeError` if a shape does not match (before computing anything), or the
    ///   optimizer's state was sized for another parameter count.
    @inlinable
    public func train<O: Optimizer>(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]? = nil,
                                    supervision: ModelSupervision<Scalar>, optimizer: inout O,
                                    clipping: GradientClipping? = nil,
                                    buffers: ModelStepBuffers<Scalar> = ModelStepBuffers()) throws -> TrainingStepResult
    where O.Scalar == Scalar {
        inUse.enter()
        defer { inUse.leave() }
        try optimizer.checkState(parameterCount: model.parameterCount)
        let loss = try accumulateGradient(batch, initialStates: initialStates, supervision: supervision, buffers: buffers)
        return takeTrainingStep(loss: loss, hasSteps: batch.totalSteps > 0, gradient: workspace.gradient,
                                parameters: storage, optimizer: &optimizer, clipping: clipping)
    }

    /// The batch's loss and summed gradient at the current parameters, without a step.
    /// - Returns: the loss as `train` reports it (0 for output gradients, which have none) and the gradient.
    /// - Throws: `CellForgeError` if a shape does not match.
    @inlinable
    public func gradient(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]? = nil,
                         supervision: ModelSupervision<Scalar>,
                         buffers: ModelStepBuffers<Scalar> = ModelStepBuffers()) throws
    -> (loss: Double, gradient: ModelParameters<Scalar>) {
        inUse.enter()
        defer { inUse.leave() }
        let loss = try accumulateGradient(batch, initialStates: initialStates, supervision: supervision, buffers: buffers)
        return (loss ?? 0, lastGradient)
    }

    /// Validates, runs every chunk, leaves the summed gradient in `workspace.gradient` and returns the
    /// loss (nil for output gradients).
    @inlinable
    func accumulateGradient(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]?,
                            supervision: ModelSupervision<Scalar>, buffers: ModelStepBuffers<Scalar>) throws -> Double? {
        try validate(batch)
        let O = architecture.outputSize
        if let initialStates { try validate("initial states", count: initialStates.count, perStep: nil, of: batch) }
        if let (name, v) = supervision.perStepValues { try validate(name, count: v.count, perStep: O, of: batch) }
        if let b = buffers.finalStateGradients { try validate("final-state gradients", count: b.count, perStep: nil, of: batch) }
        if let b = buffers.initialStateGradients { try validate("initial-state gradients", count: b.count, perStep: nil, of: batch) }
        if let b = buffers.finalStates { try validate("final states", count: b.count, perStep: nil, of: batch) }
        if let b = buffers.outputs { try validate("outputs", count: b.count, perStep: O, of: batch) }
        if let b = buffers.inputGradients { try validate("input gradients", count: b.count, perStep: batch.inputSize, of: batch) }

        let chunks = chunkCount(sequences: batch.count)
        workspace.reserve(chunks: chunks, workers: workers(chunks: chunks), length: batch.maxLength)
        let valueCount = batch.totalSteps * O
        batch.inputs.withUnsafeBufferPointer { x in
            batch.lengths.withUnsafeBufferPointer { lengths in
                batch.stepOffsets.withUnsafeBufferPointer { offsets in
                    withOptionalPointer(supervision.perStepValues?.values) { targets in
                        withOptionalPointer(initialStates) { h0 in
                            let piece = TrainingPiece(x: x.baseAddress, lengths: lengths.baseAddress!, offsets: offsets.baseAddress!,
                                                      count: batch.count, initialStates: h0, targets: targets,
                                                      supervision: supervision, outputSize: O, valueCount: valueCount,
                                                      buffers: buffers)
                            runChunks(chunks, workers: workers(chunks: chunks), counter: counter) { c, w in trainChunk(c, worker: w, piece) }
                        }
                    }
                }
            }
        }
        let sum = workspace.reduce(chunks: chunks)
        if case .meanSquaredError = supervision { return valueCount == 0 ? 0 : sum / Double(valueCount) }
        return supervision.computesLoss ? sum : nil
    }

    /// Chunk c on worker w: zeroes the chunk's gradient, then takes its sequences in order, in runs
    /// of equal length cut into pieces the kernels run in lockstep: forward, loss and Δy, backward
    /// through the layers top down, adding each sequence's gradient in sequence order.
    @inlinable
    func trainChunk(_ c: Int, worker w: Int, _ p: TrainingPiece<Scalar>) {
        let ws = workspace
        let (D, O, S) = (architecture.inputSize, architecture.outputSize, model.stateSize)
        let gradient = ws.chunkGradient(c)
        gradient.update(repeating: 0, count: model.parameterCount)
        var loss = 0.0
        let first = c * sequencesPerChunk, end = min(p.count, first + sequencesPerChunk)
        for n in first..<end where p.lengths[n] == 0 {
            // No steps: the final state is the initial one, and so are their gradients.
            let b = p.buffers
            if let f = b.finalStates?.baseAddress {
                if let h0 = p.initialStates { f.advanced(by: n * S).update(from: h0 + n * S, count: S) }
                else { f.advanced(by: n * S).update(repeating: 0, count: S) }
            }
            if let g = b.initialStateGradients?.baseAddress {
                if let d = b.finalStateGradients?.baseAddress { g.advanced(by: n * S).update(from: d + n * S, count: S) }
                else { g.advanced(by: n * S).update(repeating: 0, count: S) }
            }
        }
        forEachRun(from: first, to: end, lengths: p.lengths, piece: ws.slotCount) { n, run, length in
            guard let x = p.x else { return }
            let state = ws.state(w)
            for r in 0..<run {
                if let h0 = p.initialStates { (state + r * ws.stateStride).update(from: h0 + (n + r) * S, count: S) }
                else { (state + r * ws.stateStride).update(repeating: 0, count: S) }
            }
            forwardPiece(worker: w, run: run, length: length, input: x + p.offsets[n] * D, inputStride: length * D,
                         state: state, stateStride: ws.stateStride)
            for r in 0..<run {
                let m = n + r, y = modelOutput(worker: w, slot: r), dy = modelOutputGradient(worker: w, slot: r)
                p.buffers.finalStates.map { $0.baseAddress!.advanced(by: m * S).update(from: state + r * ws.stateStride, count: S) }
                p.buffers.outputs.map { $0.baseAddress!.advanced(by: p.offsets[m] * O).update(from: y, count: length * O) }
                loss += p.lossAndGradient(sequence: m, outputs: y, gradient: dy, count: length * O)
            }
            backwardPiece(worker: w, run: run, length: length, n: n, x: x + p.offsets[n] * D, p, gradient: gradient)
        }
        ws.chunkLosses[c] = loss
    }

    /// Backward through every layer for the piece forward left in worker w's buffers.
    @inlinable
    func backwardPiece(worker w: Int, run: Int, length: Int, n: Int, x: UnsafePointer<Scalar>,
                       _ p: TrainingPiece<Scalar>, gradient: UnsafeMutablePointer<Scalar>) {
        let ws = workspace
        let (D, S) = (architecture.inputSize, model.stateSize)
        let parameters = UnsafePointer(storage.baseAddress!)
        let top = model.layers.count - 1
        for l in stride(from: top, through: 0, by: -1) {
            let below = l > 0
            model.layers[l].backward(parameters: parameters + model.layerOffsets[l], batch: KernelBatch(
                count: run, length: length,
                input: below ? UnsafePointer(ws.output(w, l - 1)) : x, inputStride: below ? ws.outputStrides[l - 1] : length * D,
                state: nil, stateStride: S,
                output: ws.output(w, l), outputStride: ws.outputStrides[l],
                tape: ws.tape(w, l), tapeStride: ws.tapeStrides[l],
                outputGradient: UnsafePointer(ws.delta(w, l)),
                finalStateGradient: p.buffers.finalStateGradients.map { $0.baseAddress! + n * S + model.stateOffsets[l] },
                inputGradient: below ? ws.delta(w, l - 1) : p.buffers.inputGradients.map { $0.baseAddress! + p.offsets[n] * D },
                initialStateGradient: p.buffers.initialStateGradients.map { $0.baseAddress! + n * S + model.stateOffsets[l] }),
                parameterGradient: gradient + model.layerOffsets[l])
        }
    }
}

/// What every chunk of one training call reads: the batch, the supervision and the caller's buffers.
@usableFromInline
struct TrainingPiece<Scalar: CellScalar> {
    @usableFromInline let x: UnsafePointer<Scalar>?
    @usableFromInline let lengths: UnsafePointer<Int>
    @usableFromInline let offsets: UnsafePointer<Int>
    @usableFromInline let count: Int
    @usableFromInline let initialStates: UnsafePointer<Scalar>?
    /// The targets, or the output gradients.
    @usableFromInline let targets: UnsafePointer<Scalar>?
    @usableFromInline let supervision: ModelSupervision<Scalar>
    /// O, output scalars per step.
    @usableFromInline let outputSize: Int
    /// Output scalars in the whole batch (the MSE's divisor).
    @usableFromInline let valueCount: Int
    @usableFromInline let buffers: ModelStepBuffers<Scalar>

    @inlinable
    init(x: UnsafePointer<Scalar>?, lengths: UnsafePointer<Int>, offsets: UnsafePointer<Int>, count: Int,
         initialStates: UnsafePointer<Scalar>?, targets: UnsafePointer<Scalar>?, supervision: ModelSupervision<Scalar>,
         outputSize: Int, valueCount: Int, buffers: ModelStepBuffers<Scalar>) {
        self.x = x
        self.lengths = lengths
        self.offsets = offsets
        self.count = count
        self.initialStates = initialStates
        self.targets = targets
        self.supervision = supervision
        self.outputSize = outputSize
        self.valueCount = valueCount
        self.buffers = buffers
    }

    /// Sequence m's loss term, writing Δy: MSE Σ(y − t)² with Δ = (2/valueCount)(y − t) (the
    /// sum is divided by valueCount once, after the chunks are summed); L2 ½Σ(y − t)² with
    /// Δ = y − t (`squaredResidual`); the custom loss; or, for output gradients, Δ as given and 0.
    @inlinable
    func lossAndGradient(sequence m: Int, outputs y: UnsafeMutablePointer<Scalar>, gradient dy: UnsafeMutablePointer<Scalar>,
                         count: Int) -> Double {
        switch supervision {
        case let .loss(loss):
            return loss.evaluate(sequence: m, outputs: UnsafeBufferPointer(start: y, count: count),
                                 gradient: UnsafeMutableBufferPointer(start: dy, count: count))
        case .outputGradients:
            dy.update(from: targets! + offsets[m] * outputSize, count: count)
            return 0
        case .meanSquaredError, .l2:
            let isMean = if case .meanSquaredError = supervision { true } else { false }
            let sum = squaredResidual(y, minus: targets! + offsets[m] * outputSize,
                                      scale: isMean ? Scalar(2 / Double(valueCount)) : nil, into: dy, count: count)
            return isMean ? sum : sum / 2
        }
    }
}
