/// The buffers one `BatchDriver` reuses from call to call, allocated lazily and grown
/// only when a call has more chunks, uses more workers, or has a longer sequence, than
/// any before it (so memory follows the work, not the driver's `workerCount`):
///
/// - per chunk: a gradient buffer (parameter storage layout) and a loss;
/// - per worker: tape, output (also Δ) and state scratch for `kernel.interleave`
///   sequences (slots at constant strides, so a piece of a run of equal-length sequences
///   goes to the kernel as one `KernelBatch`);
/// - the reduced gradient of the whole batch.
///
/// Every buffer starts on a 64-byte boundary and strides are rounded up to 64 bytes:
/// neighbouring workers do not share cache lines, and the kernels' 32-byte vector loads
/// never straddle one (on malloc's 16-byte alignment they run up to 40% slower).
@usableFromInline
final class BatchWorkspace<Scalar: CellScalar> {
    @usableFromInline let parameterCount: Int
    /// Workers the per-worker buffers are sized for.
    @usableFromInline var workerCapacity = 0
    /// Slots per worker: the kernel's interleave.
    @usableFromInline let slotCount: Int
    @usableFromInline let gradientStride: Int
    @usableFromInline let stateStride: Int
    @usableFromInline var chunkCapacity = 0
    @usableFromInline var tapeStride = 0
    @usableFromInline var outputStride = 0
    @usableFromInline var chunkGradients: UnsafeMutablePointer<Scalar>
    @usableFromInline var chunkLosses: UnsafeMutablePointer<Double>
    @usableFromInline var tapes: UnsafeMutablePointer<Scalar>
    @usableFromInline var outputs: UnsafeMutablePointer<Scalar>
    @usableFromInline var states: UnsafeMutablePointer<Scalar>
    /// The batch's summed gradient, `parameterCount` scalars.
    @usableFromInline let gradient: UnsafeMutableBufferPointer<Scalar>

    @usableFromInline
    init(parameterCount: Int, stateSize: Int, slotCount: Int) {
        self.parameterCount = parameterCount
        self.slotCount = slotCount
        gradientStride = Self.padded(parameterCount)
        stateStride = Self.padded(stateSize)
        chunkGradients = Self.aligned(0)
        chunkLosses = Self.aligned(0)
        tapes = Self.aligned(0)
        outputs = Self.aligned(0)
        states = Self.aligned(0)
        gradient = UnsafeMutableBufferPointer(start: Self.aligned(parameterCount), count: parameterCount)
    }

    deinit {
        chunkGradients.deallocate()
        chunkLosses.deallocate()
        tapes.deallocate()
        outputs.deallocate()
        states.deallocate()
        gradient.deallocate()
    }

    /// Makes room for `chunks` chunks and, for each of `workers` workers and each slot,
    /// `tapeCount` scalars of tape and `outputCount` of outputs; reallocates only what must grow.
    @usableFromInline
    func reserve(chunks: Int, workers: Int, tapeCount: Int, outputCount: Int) {
        if chunks > chunkCapacity {
            Self.replace(&chunkGradients, count: chunks * gradientStride)
            Self.replace(&chunkLosses, count: chunks)
            chunkCapacity = chunks
        }
        let moreWorkers = workers > workerCapacity
        if moreWorkers {
            workerCapacity = workers
            Self.replace(&states, count: workers * slotCount * stateStride)
        }
        if moreWorkers || tapeCount > tapeStride {
            tapeStride = max(tapeStride, Self.padded(tapeCount))
            Self.replace(&tapes, count: workerCapacity * slotCount * tapeStride)
        }
        if moreWorkers || outputCount > outputStride {
            outputStride = max(outputStride, Self.padded(outputCount))
            Self.replace(&outputs, count: workerCapacity * slotCount * outputStride)
        }
    }

    /// Chunk c's gradient buffer.
    @inlinable func chunkGradient(_ c: Int) -> UnsafeMutablePointer<Scalar> { chunkGradients + c * gradientStride }
    /// Worker w's tape for slot s; slots follow each other at `tapeStride`.
    @inlinable func tape(_ w: Int, _ s: Int) -> UnsafeMutablePointer<Scalar> { tapes + (w * slotCount + s) * tapeStride }
    /// Worker w's outputs for slot s (overwritten with Δ = h − y when training on targets).
    @inlinable func output(_ w: Int, _ s: Int) -> UnsafeMutablePointer<Scalar> { outputs + (w * slotCount + s) * outputStride }
    /// Worker w's state for slot s.
    @inlinable func state(_ w: Int, _ s: Int) -> UnsafeMutablePointer<Scalar> { states + (w * slotCount + s) * stateStride }

    /// Sums the first `chunks` chunk gradients into `gradient` in chunk order (the
    /// same order for any worker count) and returns the chunk losses summed likewise.
    @inlinable
    func reduce(chunks: Int) -> Double {
        let total = gradient.baseAddress!
        total.update(from: chunkGradient(0), count: parameterCount)
        var loss = chunkLosses[0]
        for c in 1..<max(chunks, 1) {
            let g = chunkGradient(c)
            for k in 0..<parameterCount { total[k] += g[k] }
            loss += chunkLosses[c]
        }
        return loss
    }

    /// `count` rounded up to a whole number of 64-byte lines.
    private static func padded(_ count: Int) -> Int {
        let perLine = max(1, 64 / MemoryLayout<Scalar>.stride)
        return (count + perLine - 1) / perLine * perLine
    }

    /// `count` zeroed values starting on a 64-byte boundary (free with `deallocate()`).
    @usableFromInline
    static func aligned<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<T>.stride, alignment: 64)
        let p = raw.bindMemory(to: T.self, capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
        return p
    }

    /// Frees `p` and replaces it with `count` zeroed, aligned values.
    private static func replace<T: Numeric>(_ p: inout UnsafeMutablePointer<T>, count: Int) {
        p.deallocate()
        p = aligned(count)
    }
}
