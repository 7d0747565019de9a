import Dispatch
import Foundation

/// Trains and runs a recurrent kernel over batches of independent sequences, spread
/// across cores with `DispatchQueue.concurrentPerform`.
///
/// The driver owns the parameters (packed in the kernel's storage layout) and every
/// buffer a batch needs; buffers are allocated once and reused, so the per-sequence
/// and per-step work allocates nothing (the kernel always gets a tape, so a generated
/// kernel allocates nothing either).
///
/// **Determinism.** A batch of N sequences is cut into ⌈N / `sequencesPerChunk`⌉
/// chunks of consecutive sequences; the cut depends on N and `sequencesPerChunk`
/// only, never on `workerCount`. Each chunk adds its sequences' gradients, in order,
/// into its own buffer; the chunk buffers (and losses) are then summed in chunk
/// order. Workers claim whole chunks, so results are bit-identical for any worker
/// count. With one worker every chunk runs inline on the calling thread, without Dispatch.
///
/// **Thread safety.** One call at a time: a driver is not `Sendable` and must not
/// be used from two threads at once. `train`, `gradient`, `infer` and `setParameters`
/// check an atomic in-use flag and trap ("BatchDriver used from two threads at once")
/// when another of them is running, instead of corrupting memory. Each call uses up to
/// `workerCount` threads internally and returns when all of them are done.
///
/// **Memory.** Per-worker buffers (tapes, outputs, states) are allocated for the
/// workers a call actually uses, min(`workerCount`, chunks), and grown lazily, so a
/// large `workerCount` costs nothing on small batches.
///
/// The driver is `@inlinable`, so `BatchDriver<SomeKernel>` is specialised in the
/// client that names the kernel, and calls the kernel directly once per sequence.
public final class BatchDriver<Kernel: RecurrentKernel> {
    /// The scalar type of the kernel.
    public typealias Scalar = Kernel.Scalar

    /// The kernel the driver runs.
    public let kernel: Kernel
    /// Threads a call uses at most (1: inline on the calling thread).
    public let workerCount: Int
    /// Sequences per chunk: the unit of work a thread claims, and of gradient summation.
    public let sequencesPerChunk: Int
    @usableFromInline let storage: UnsafeMutableBufferPointer<Scalar>
    @usableFromInline let workspace: BatchWorkspace<Scalar>
    @usableFromInline let counter = ChunkCounter()
    /// Set while a call runs (see "Thread safety").
    @usableFromInline let inUse = InUseFlag(driver: "BatchDriver", calls: "train, gradient, infer, setParameters")

    /// The largest `workerCount` accepted, 4096 (as for sizes): more threads than that
    /// cannot help, and Dispatch would create them all.
    public static var maximumWorkerCount: Int { WorkerCount.maximum }

    /// The largest `sequencesPerChunk` accepted, 2²⁰ = 1,048,576: a chunk holding the whole
    /// batch is one thread's work, so larger values add nothing.
    public static var maximumSequencesPerChunk: Int { SequencesPerChunk.maximum }

    /// A driver for `kernel` starting from `parameters`.
    /// - Parameters:
    ///   - workerCount: threads to use, default the active processor count; 1 to `maximumWorkerCount`.
    ///   - sequencesPerChunk: sequences per chunk (default 12, a multiple of the three
    ///     sequences generated kernels interleave), 1 to `maximumSequencesPerChunk`. Results
    ///     depend on it (the summation order does), not on `workerCount`. Each worker keeps
    ///     `kernel.interleave` tapes.
    /// - Throws: `CellForgeError` if the parameters do not fit the kernel or a count is out of range.
    public init(kernel: Kernel, parameters: CellParameters<Scalar>,
                workerCount: Int = ProcessInfo.processInfo.activeProcessorCount,
                sequencesPerChunk: Int = 12) throws {
        try WorkerCount.validate(workerCount)
        try SequencesPerChunk.validate(sequencesPerChunk)
        try Self.check(parameters, fits: kernel)
        self.kernel = kernel
        self.workerCount = workerCount
        self.sequencesPerChunk = sequencesPerChunk
        storage = UnsafeMutableBufferPointer(start: BatchWorkspace<Scalar>.aligned(kernel.parameterStorageCount),
                                             count: kernel.parameterStorageCount)
        kernel.pack(parameters, into: storage)
        workspace = BatchWorkspace(parameterCount: kernel.parameterStorageCount, stateSize: kernel.stateSize,
                                   slotCount: kernel.interleave)
    }

    deinit { storage.deallocate() }

    /// The current parameters, in the canonical layout.
    public var parameters: CellParameters<Scalar> { kernel.unpack(UnsafeBufferPointer(storage)) }

    /// Replaces the parameters.
    /// - Throws: `CellForgeError` if they do not fit the kernel (kind, H, D).
    public func setParameters(_ parameters: CellParameters<Scalar>) throws {
        inUse.enter()
        defer { inUse.leave() }
        try Self.check(parameters, fits: kernel)
        kernel.pack(parameters, into: storage)
    }

    /// Calls `body` with the parameters as stored (the kernel's layout, `parameterStorageCount` scalars).
    public func withParameterStorage<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage))
    }

    /// The summed gradient of the last `train` or `gradient` call, in the canonical
    /// layout (after clipping, if `train` clipped it).
    public var lastGradient: CellParameters<Scalar> { kernel.unpack(UnsafeBufferPointer(workspace.gradient)) }

    /// Number of chunks a batch of `count` sequences is cut into.
    @inlinable public func chunkCount(sequences count: Int) -> Int {
        SequencesPerChunk.chunks(count, perChunk: sequencesPerChunk)
    }

    /// Workers a call over `chunks` chunks uses: min(`workerCount`, chunks), at least 1.
    @inlinable func workers(chunks: Int) -> Int { WorkerCount.used(workerCount, chunks: chunks) }

    /// Runs `body(chunk, worker)` for every chunk: inline for one worker, otherwise on
    /// `workers(chunks:)` threads that claim chunks until none is left.
    @inlinable
    func forEachChunk(_ chunks: Int, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
        runChunks(chunks, workers: workers(chunks: chunks), counter: counter, body)
    }

    private static func check(_ p: CellParameters<Scalar>, fits kernel: Kernel) throws {
        guard p.kind == kernel.kind else { throw CellForgeError.cellMismatch(expected: kernel.kind, actual: p.kind) }
        guard p.hiddenSize == kernel.hiddenSize, p.inputSize == kernel.inputSize else {
            throw CellForgeError.shapeMismatch(name: "parameters", expected: "H \(kernel.hiddenSize), D \(kernel.inputSize)",
                                               actual: "H \(p.hiddenSize), D \(p.inputSize)")
        }
    }

    /// Throws unless `batch` has the kernel's input size.
    @usableFromInline
    func validate(_ batch: SequenceBatch<Scalar>) throws {
        guard batch.inputSize == kernel.inputSize else {
            throw CellForgeError.shapeMismatch(name: "batch input size", expected: "D = \(kernel.inputSize)",
                                               actual: "D = \(batch.inputSize)")
        }
    }

    /// Throws unless an array named `name` has `count` scalars: H per step of `batch`
    /// (`perStep`), or one state per sequence.
    @usableFromInline
    func validate(_ name: String, count: Int, perStep: Bool, of batch: SequenceBatch<Scalar>) throws {
        let expected = perStep ? batch.totalSteps * kernel.hiddenSize : batch.count * kernel.stateSize
        guard count == expected else {
            let shape = perStep ? "H \(kernel.hiddenSize) × \(batch.totalSteps) steps"
                                : "\(batch.count) sequences × state size \(kernel.stateSize)"
            throw CellForgeError.shapeMismatch(name: name, expected: "\(expected) values (\(shape))", actual: "\(count)")
        }
    }
}
