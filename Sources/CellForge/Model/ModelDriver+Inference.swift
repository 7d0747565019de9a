extension ModelDriver {
    /// Runs every sequence forward from `states` and leaves each sequence's final state there,
    /// so many independent streams can be fed in blocks: the next call continues where this one
    /// stopped. A length-0 sequence keeps its state. Memory does not grow with the sequences'
    /// length: they run in segments of a fixed number of steps, the state carried, with the same
    /// results bit for bit.
    /// - Parameters:
    ///   - states: N × `model.stateSize` scalars (each layer's [h, c], layer-major), the caller's
    ///     to keep between calls.
    ///   - outputs: receives y_t for every step (O per step, laid out like targets); resized only
    ///     when its count does not match, so it can be reused across calls without allocating.
    /// - Throws: `CellForgeError` if a shape does not match (before computing anything).
    @inlinable
    public func infer(_ batch: SequenceBatch<Scalar>, states: inout [Scalar], outputs: inout [Scalar]) throws {
        inUse.enter()
        defer { inUse.leave() }
        try validate(batch)
        try validate("states", count: states.count, perStep: nil, of: batch)
        let (D, O, S) = (architecture.inputSize, architecture.outputSize, model.stateSize)
        let outputCount = batch.totalSteps * O
        if outputs.count != outputCount { outputs = Array(repeating: 0, count: outputCount) }
        // The tapes serve as the kernels' scratch: without one a generated kernel may take its
        // scratch from the heap (above 1 KiB). Sequences run in segments, so tapes and layer
        // outputs cover one segment, not the longest sequence.
        let chunks = chunkCount(sequences: batch.count)
        let segment = StepSegments.inference
        workspace.reserve(chunks: 0, workers: workers(chunks: chunks), length: min(batch.maxLength, segment))
        batch.inputs.withUnsafeBufferPointer { x in
            batch.lengths.withUnsafeBufferPointer { lengths in
                batch.stepOffsets.withUnsafeBufferPointer { offsets in
                    states.withUnsafeMutableBufferPointer { states in
                        outputs.withUnsafeMutableBufferPointer { outputs in
                            runChunks(chunks, workers: workers(chunks: chunks), counter: counter) { c, w in
                                let first = c * sequencesPerChunk
                                forEachRun(from: first, to: min(batch.count, first + sequencesPerChunk),
                                           lengths: lengths.baseAddress!, piece: workspace.slotCount) { n, run, length in
                                    StepSegments.forEach(length: length, maximum: segment) { start, steps in
                                        forwardPiece(worker: w, run: run, length: steps,
                                                     input: x.baseAddress! + (offsets[n] + start) * D, inputStride: length * D,
                                                     state: states.baseAddress! + n * S, stateStride: S)
                                        for r in 0..<run {
                                            (outputs.baseAddress! + (offsets[n + r] + start) * O)
                                                .update(from: modelOutput(worker: w, slot: r), count: steps * O)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `infer(_:states:outputs:)` returning a new outputs array.
    @inlinable
    public func infer(_ batch: SequenceBatch<Scalar>, states: inout [Scalar]) throws -> [Scalar] {
        var outputs: [Scalar] = []
        try infer(batch, states: &states, outputs: &outputs)
        return outputs
    }
}
