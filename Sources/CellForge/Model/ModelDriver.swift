import Foundation

/// Trains and runs a whole model (recurrent, dense and activation layers) over batches of
/// independent sequences, spread across cores with `DispatchQueue.concurrentPerform`. The
/// one engine: `BatchDriver` runs a single kernel through it as a one-layer model.
///
/// The driver owns the parameters in one flat buffer (`PackedModel`: every layer's packed
/// storage), so one optimizer and one gradient clipping cover the
/// whole model. Buffers are allocated once and grown only for a longer sequence or more
/// chunks than before; a call on a batch no larger than an earlier one allocates nothing
/// beyond what Dispatch itself does.
///
/// **Determinism.** The batch is cut into chunks of `sequencesPerChunk` consecutive
/// sequences (the cut depends on the batch size and `sequencesPerChunk` only, never on
/// `workerCount`); each chunk sums its sequences' gradients and losses in order into its own
/// buffer, and chunks are summed in order. Workers claim whole chunks, so results are
/// bit-identical for any worker count. With one worker every chunk runs inline on the
/// calling thread, without Dispatch.
///
/// **Layers.** Each layer is called once per piece of sequences (up to the kernels'
/// interleave, run in lockstep), never per step, so holding them as `any ModelLayer` costs
/// one indirect call per piece.
///
/// **Thread safety.** One call at a time; not `Sendable`. `train`, `gradient`, `infer` and
/// `setParameters` check an atomic in-use flag and trap ("ModelDriver used from two threads at
/// once", or the name of the wrapper the driver serves) when another of them is running,
/// instead of corrupting memory.
///
/// **Memory.** Per-worker buffers are allocated for the workers a call actually uses,
/// min(`workerCount`, chunks), so a large `workerCount` costs nothing on small batches.
public final class ModelDriver<Scalar: CellScalar> {
    /// The layers and the flat parameter layout.
    public let model: PackedModel<Scalar>
    /// Threads a call uses at most (1: inline on the calling thread).
    public let workerCount: Int
    /// Sequences per chunk: the unit of work a thread claims, and of gradient summation.
    public let sequencesPerChunk: Int
    @usableFromInline let storage: UnsafeMutableBufferPointer<Scalar>
    @usableFromInline let workspace: ModelWorkspace<Scalar>
    @usableFromInline let counter = ChunkCounter()
    /// Set while a call runs (see "Thread safety").
    @usableFromInline let inUse: InUseFlag

    /// The largest `workerCount` accepted, 4096 (as for sizes): more threads than that cannot
    /// help, and Dispatch would create them all.
    public static var maximumWorkerCount: Int { WorkerCount.maximum }

    /// The largest `sequencesPerChunk` accepted, 2²⁰ = 1,048,576: a chunk holding the whole
    /// batch is one thread's work, so larger values add nothing.
    public static var maximumSequencesPerChunk: Int { SequencesPerChunk.maximum }

    /// A driver running `layers` (one per layer of `parameters.architecture`).
    /// - Parameters:
    ///   - workerCount: threads to use, default the active processor count; 1 to `maximumWorkerCount`.
    ///   - sequencesPerChunk: sequences per chunk, 1 to `maximumSequencesPerChunk` (results depend
    ///     on it, not on `workerCount`).
    /// - Throws: `CellForgeError` if a layer does not match the architecture or a count is out of range.
    public convenience init(parameters: ModelParameters<Scalar>, layers: [any ModelLayer<Scalar>],
                            workerCount: Int = ProcessInfo.processInfo.activeProcessorCount,
                            sequencesPerChunk: Int = 12) throws {
        try self.init(parameters: parameters, layers: layers, workerCount: workerCount, sequencesPerChunk: sequencesPerChunk,
                      name: "ModelDriver")
    }

    /// The designated initializer; `name` is the driver the in-use trap names.
    init(parameters: ModelParameters<Scalar>, layers: [any ModelLayer<Scalar>], workerCount: Int,
         sequencesPerChunk: Int, name: String) throws {
        try WorkerCount.validate(workerCount)
        try SequencesPerChunk.validate(sequencesPerChunk)
        let model = try PackedModel(architecture: parameters.architecture, layers: layers)
        let storage = UnsafeMutableBufferPointer<Scalar>(start: AlignedMemory.zeroed(model.parameterCount),
                                                 count: model.parameterCount)
        do { try model.pack(parameters, into: storage) } catch { storage.deallocate(); throw error }
        self.model = model
        self.storage = storage
        self.workerCount = workerCount
        self.sequencesPerChunk = sequencesPerChunk
        workspace = ModelWorkspace(model: model)
        inUse = InUseFlag(driver: name, calls: "train, gradient, infer, setParameters")
    }

    /// A driver whose layers are opened from `registry` by the architecture's sizes.
    /// - Throws: `CellForgeError` naming the layer whose size has no kernel in `registry`.
    @inlinable
    public convenience init<R: KernelRegistry>(parameters: ModelParameters<Scalar>, registry: R.Type,
                                               workerCount: Int = ProcessInfo.processInfo.activeProcessorCount,
                                               sequencesPerChunk: Int = 12) throws {
        try self.init(parameters: parameters, layers: parameters.architecture.openLayers(registry, scalar: Scalar.self),
                      workerCount: workerCount, sequencesPerChunk: sequencesPerChunk)
    }

    deinit { storage.deallocate() }

    /// The architecture.
    public var architecture: ModelArchitecture { model.architecture }

    /// The current parameters, canonical layout.
    public var parameters: ModelParameters<Scalar> { model.unpack(UnsafeBufferPointer(storage)) }

    /// Replaces the parameters.
    /// - Throws: `CellForgeError` if their architecture is not the driver's (nothing changes).
    public func setParameters(_ parameters: ModelParameters<Scalar>) throws {
        inUse.enter()
        defer { inUse.leave() }
        guard parameters.architecture == architecture else {
            throw CellForgeError.shapeMismatch(name: "model parameters", expected: "\(architecture)",
                                               actual: "\(parameters.architecture)")
        }
        try model.pack(parameters, into: storage)
    }

    /// Calls `body` with the flat parameter buffer (`model.parameterCount` scalars).
    public func withParameterStorage<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage))
    }

    /// The summed gradient of the last `train` or `gradient` call (after clipping, if `train`
    /// clipped it), canonical layout.
    public var lastGradient: ModelParameters<Scalar> { model.unpack(UnsafeBufferPointer(workspace.gradient)) }

    /// Number of chunks a batch of `count` sequences is cut into.
    @inlinable public func chunkCount(sequences count: Int) -> Int {
        SequencesPerChunk.chunks(count, perChunk: sequencesPerChunk)
    }

    /// Workers a call over `chunks` chunks uses: min(`workerCount`, chunks), at least 1.
    @inlinable func workers(chunks: Int) -> Int { WorkerCount.used(workerCount, chunks: chunks) }

    /// Throws unless `batch` has the model's input size.
    @usableFromInline
    func validate(_ batch: SequenceBatch<Scalar>) throws {
        guard batch.inputSize == architecture.inputSize else {
            throw CellForgeError.shapeMismatch(name: "batch input size", expected: "D = \(architecture.inputSize)",
                                               actual: "D = \(batch.inputSize)")
        }
    }

    /// Throws unless a buffer named `name` has `count` scalars: `perStep` per step of `batch`, or
    /// one model state (all layers) per sequence when `perStep` is nil.
    @usableFromInline
    func validate(_ name: String, count: Int, perStep: Int?, of batch: SequenceBatch<Scalar>) throws {
        let expected = perStep.map { batch.totalSteps * $0 } ?? batch.count * model.stateSize
        guard count == expected else {
            let shape = perStep.map { "\($0) × \(batch.totalSteps) steps" }
                ?? "\(batch.count) sequences × model state size \(model.stateSize)"
            throw CellForgeError.shapeMismatch(name: name, expected: "\(expected) values (\(shape))", actual: "\(count)")
        }
    }

    /// Runs a piece of `run` sequences of `length` steps (slot r reads `input + r·inputStride`) forward
    /// through every layer, states at `state + r·stateStride` (layer l at its state
    /// offset) carried in place; leaves the outputs in worker w's buffers (see `modelOutput`).
    @inlinable
    func forwardPiece(worker w: Int, run: Int, length: Int, input: UnsafePointer<Scalar>, inputStride: Int,
                      state: UnsafeMutablePointer<Scalar>, stateStride: Int) {
        let parameters = UnsafePointer(storage.baseAddress!)
        let ws = workspace
        var x = input, xStride = inputStride
        for (l, layer) in model.layers.enumerated() {
            layer.forward(parameters: parameters + model.layerOffsets[l], batch: KernelBatch(
                count: run, length: length, input: x, inputStride: xStride,
                state: state + model.stateOffsets[l], stateStride: stateStride,
                output: ws.output(w, l), outputStride: ws.outputStrides[l],
                tape: ws.tape(w, l), tapeStride: ws.tapeStrides[l]))
            x = UnsafePointer(ws.output(w, l))
            xStride = ws.outputStrides[l]
        }
    }

    /// Worker w's model output y for slot r (the last layer's output).
    @inlinable
    func modelOutput(worker w: Int, slot r: Int) -> UnsafeMutablePointer<Scalar> {
        let top = model.layers.count - 1
        return workspace.output(w, top) + r * workspace.outputStrides[top]
    }

    /// Worker w's Δy buffer for slot r.
    @inlinable
    func modelOutputGradient(worker w: Int, slot r: Int) -> UnsafeMutablePointer<Scalar> {
        let top = model.layers.count - 1
        return workspace.delta(w, top) + r * workspace.outputStrides[top]
    }
}
