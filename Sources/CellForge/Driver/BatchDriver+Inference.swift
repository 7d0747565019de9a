extension BatchDriver {
    /// Runs every sequence forward from `states` and leaves each sequence's final state
    /// there, so a stream can be fed in pieces: the next call continues where this one
    /// stopped. A length-0 sequence keeps its state. Memory does not grow with the sequences'
    /// length: they run in segments of a fixed number of steps, the state carried, with the same
    /// results bit for bit.
    /// - Parameters:
    ///   - states: N × `stateSize` scalars, the caller's to keep between calls.
    ///   - outputs: receives h_t for every step, laid out like the targets (H per step);
    ///     resized only when its count does not match, so it can be reused across calls.
    /// - Throws: `CellForgeError` if a shape does not match (before computing anything).
    @inlinable
    public func infer(_ batch: SequenceBatch<Scalar>, states: inout [Scalar], outputs: inout [Scalar]) throws {
        inUse.enter()
        defer { inUse.leave() }
        try validate(batch)
        try validate("states", count: states.count, perStep: false, of: batch)
        let outputCount = batch.totalSteps * kernel.hiddenSize
        if outputs.count != outputCount { outputs = Array(repeating: 0, count: outputCount) }
        let (H, D, S, chunk) = (kernel.hiddenSize, kernel.inputSize, kernel.stateSize, sequencesPerChunk)
        let parameters = UnsafePointer(storage.baseAddress!)
        // Each worker's tapes serve as the kernel's scratch: with no tape a generated
        // kernel takes its scratch from withUnsafeTemporaryAllocation, which falls back
        // to the heap above 1 KiB (H ≥ 16 in Float), once per call. Sequences run in
        // segments, so the tapes cover one segment, not the longest sequence.
        let chunks = chunkCount(sequences: batch.count)
        let segment = StepSegments.inference
        workspace.reserve(chunks: 0, workers: workers(chunks: chunks),
                          tapeCount: kernel.tapeCount(length: min(batch.maxLength, segment)), outputCount: 0)
        let workspace = self.workspace
        batch.inputs.withUnsafeBufferPointer { x in
            batch.lengths.withUnsafeBufferPointer { lengths in
                batch.stepOffsets.withUnsafeBufferPointer { offsets in
                    states.withUnsafeMutableBufferPointer { states in
                        outputs.withUnsafeMutableBufferPointer { outputs in
                            forEachChunk(chunks) { c, w in
                                let first = c * chunk
                                forEachRun(from: first, to: min(batch.count, first + chunk), lengths: lengths.baseAddress!,
                                           piece: workspace.slotCount) { n, run, length in
                                    StepSegments.forEach(length: length, maximum: segment) { start, steps in
                                        kernel.forward(parameters: parameters, batch: KernelBatch(
                                            count: run, length: steps, input: x.baseAddress! + (offsets[n] + start) * D,
                                            inputStride: length * D, state: states.baseAddress! + n * S, stateStride: S,
                                            output: outputs.baseAddress! + (offsets[n] + start) * H, outputStride: length * H,
                                            tape: workspace.tape(w, 0), tapeStride: workspace.tapeStride))
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
