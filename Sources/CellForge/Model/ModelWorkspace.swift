/// The buffers one `ModelDriver` reuses from call to call, allocated lazily and grown only
/// when a call has more chunks, uses more workers, or has a longer sequence, than any before
/// it (so memory follows the work, not the driver's `workerCount`).
///
/// Per chunk: a gradient buffer (the flat model layout) and a loss. Per worker, for
/// `slotCount` sequences run in lockstep (slots at constant strides): each layer's tapes,
/// outputs and output gradients; the model states. Every area starts on a 64-byte boundary.
@usableFromInline
final class ModelWorkspace<Scalar: CellScalar> {
    @usableFromInline let model: PackedModel<Scalar>
    /// Workers the per-worker blocks are sized for.
    @usableFromInline var workerCapacity = 0
    @usableFromInline let slotCount: Int
    @usableFromInline let gradientStride: Int
    @usableFromInline let stateStride: Int
    @usableFromInline var chunkCapacity = 0
    @usableFromInline var lengthCapacity = -1
    @usableFromInline var chunkGradients: UnsafeMutablePointer<Scalar>
    @usableFromInline var chunkLosses: UnsafeMutablePointer<Double>
    /// Per-worker blocks of `workerStride` scalars.
    @usableFromInline var blocks: UnsafeMutablePointer<Scalar>
    @usableFromInline var workerStride = 0
    @usableFromInline var tapeStrides: [Int] = []
    @usableFromInline var tapeOffsets: [Int] = []
    @usableFromInline var outputStrides: [Int] = []
    @usableFromInline var outputOffsets: [Int] = []
    @usableFromInline var deltaOffsets: [Int] = []
    @usableFromInline var stateOffset = 0
    /// The batch's summed gradient, `model.parameterCount` scalars.
    @usableFromInline let gradient: UnsafeMutableBufferPointer<Scalar>

    @usableFromInline
    init(model: PackedModel<Scalar>) {
        self.model = model
        slotCount = model.layers.map(\.interleave).max() ?? 1
        gradientStride = Self.padded(model.parameterCount)
        stateStride = Self.padded(model.stateSize)
        chunkGradients = AlignedMemory.zeroed(0)
        chunkLosses = AlignedMemory.zeroed(0)
        blocks = AlignedMemory.zeroed(0)
        gradient = UnsafeMutableBufferPointer(start: AlignedMemory.zeroed(model.parameterCount),
                                              count: model.parameterCount)
    }

    deinit {
        chunkGradients.deallocate()
        chunkLosses.deallocate()
        blocks.deallocate()
        gradient.deallocate()
    }

    /// Makes room for `chunks` chunks, and for `workers` workers running sequences of up to `length`
    /// steps; reallocates only what must grow.
    @usableFromInline
    func reserve(chunks: Int, workers: Int, length: Int) {
        if chunks > chunkCapacity {
            chunkGradients.deallocate()
            chunkGradients = AlignedMemory.zeroed(chunks * gradientStride)
            chunkLosses.deallocate()
            chunkLosses = AlignedMemory.zeroed(chunks)
            chunkCapacity = chunks
        }
        guard length > lengthCapacity || workers > workerCapacity else { return }
        lengthCapacity = max(lengthCapacity, length)
        workerCapacity = max(workerCapacity, workers)
        var offset = 0
        func area(_ perSlot: Int) -> (stride: Int, offset: Int) {
            let stride = Self.padded(perSlot)
            defer { offset += slotCount * stride }
            return (stride, offset)
        }
        (tapeStrides, tapeOffsets, outputStrides, outputOffsets, deltaOffsets) = ([], [], [], [], [])
        for layer in model.layers {
            let tape = area(layer.tapeCount(length: lengthCapacity))
            let output = area(lengthCapacity * layer.shape.outputSize)
            let delta = area(lengthCapacity * layer.shape.outputSize)
            tapeStrides.append(tape.stride)
            tapeOffsets.append(tape.offset)
            outputStrides.append(output.stride)
            outputOffsets.append(output.offset)
            deltaOffsets.append(delta.offset)
        }
        stateOffset = area(model.stateSize).offset
        workerStride = offset
        blocks.deallocate()
        blocks = AlignedMemory.zeroed(workerCapacity * workerStride)
    }

    /// Chunk c's gradient buffer.
    @inlinable func chunkGradient(_ c: Int) -> UnsafeMutablePointer<Scalar> { chunkGradients + c * gradientStride }
    /// Worker w's tape for layer l, slot 0 (slots at `tapeStrides[l]`).
    @inlinable func tape(_ w: Int, _ l: Int) -> UnsafeMutablePointer<Scalar> { blocks + w * workerStride + tapeOffsets[l] }
    /// Worker w's outputs of layer l, slot 0 (slots at `outputStrides[l]`).
    @inlinable func output(_ w: Int, _ l: Int) -> UnsafeMutablePointer<Scalar> { blocks + w * workerStride + outputOffsets[l] }
    /// Worker w's output gradients of layer l, slot 0 (slots at `outputStrides[l]`).
    @inlinable func delta(_ w: Int, _ l: Int) -> UnsafeMutablePointer<Scalar> { blocks + w * workerStride + deltaOffsets[l] }
    /// Worker w's model state for slot 0 (slots at `stateStride`).
    @inlinable func state(_ w: Int) -> UnsafeMutablePointer<Scalar> { blocks + w * workerStride + stateOffset }

    /// Sums the first `chunks` chunk gradients into `gradient` in chunk order and returns the
    /// chunk losses summed likewise (the same order for any worker count).
    @inlinable
    func reduce(chunks: Int) -> Double {
        let total = gradient.baseAddress!
        total.update(from: chunkGradient(0), count: model.parameterCount)
        var loss = chunkLosses[0]
        for c in 1..<max(chunks, 1) {
            let g = chunkGradient(c)
            for k in 0..<model.parameterCount { total[k] += g[k] }
            loss += chunkLosses[c]
        }
        return loss
    }

    /// `count` rounded up to a whole number of 64-byte lines.
    @usableFromInline static func padded(_ count: Int) -> Int {
        let line = PackedModel<Scalar>.line
        return (count + line - 1) / line * line
    }
}
