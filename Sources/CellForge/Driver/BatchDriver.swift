import Foundation

/// A `ModelDriver` for one generated kernel, in the kernel's terms: a cell is a one-layer
/// model without a head, so this driver builds that model from `KernelLayer(kernel)` and
/// forwards every call to `engine`, translating `CellParameters` to and from
/// `ModelParameters` in `model(_:)` and `cell(_:)`. Everything the model driver documents
/// holds here: determinism at any worker count (chunks of `sequencesPerChunk` sequences,
/// summed in order), allocation-free calls once the buffers have grown, refused steps that
/// leave parameters and optimizer unchanged, and the in-use trap ("BatchDriver used from two
/// threads at once").
///
/// The model's output is the cell's h_t (H per step), so targets and output gradients are
/// H per step and states `kernel.stateSize` per sequence; `ModelStepBuffers` gives truncated
/// BPTT, outputs and input gradients as for any model. Checkpoints are `ModelCheckpoint`s of
/// `engine`.
public final class BatchDriver<Kernel: RecurrentKernel> {
    /// The scalar type of the kernel.
    public typealias Scalar = Kernel.Scalar

    /// The kernel the driver runs.
    public let kernel: Kernel
    /// The model driver doing the work: one layer running `kernel`, no head.
    public let engine: ModelDriver<Scalar>

    /// The largest `workerCount` accepted (`ModelDriver.maximumWorkerCount`).
    public static var maximumWorkerCount: Int { WorkerCount.maximum }

    /// The largest `sequencesPerChunk` accepted (`ModelDriver.maximumSequencesPerChunk`).
    public static var maximumSequencesPerChunk: Int { SequencesPerChunk.maximum }

    /// A driver for `kernel` starting from `parameters`.
    /// - Parameters:
    ///   - workerCount: threads to use, default the active processor count; 1 to `maximumWorkerCount`.
    ///   - sequencesPerChunk: sequences per chunk (default 12, a multiple of the three sequences
    ///     generated kernels interleave), 1 to `maximumSequencesPerChunk`. Results depend on it
    ///     (the summation order does), not on `workerCount`.
    /// - Throws: `CellForgeError` if a count is out of range or the parameters do not fit the
    ///   kernel (cell or sizes).
    public init(kernel: Kernel, parameters: CellParameters<Scalar>,
                workerCount: Int = ProcessInfo.processInfo.activeProcessorCount,
                sequencesPerChunk: Int = 12) throws {
        self.kernel = kernel
        let architecture = try ModelArchitecture(kind: kernel.kind, inputSize: kernel.inputSize, hiddenSizes: [kernel.hiddenSize])
        engine = try ModelDriver(parameters: Self.model(parameters, architecture), layers: [KernelLayer(kernel)],
                                 workerCount: workerCount, sequencesPerChunk: sequencesPerChunk, name: "BatchDriver")
    }

    /// Threads a call uses at most (1: inline on the calling thread).
    public var workerCount: Int { engine.workerCount }
    /// Sequences per chunk: the unit of work a thread claims, and of gradient summation.
    public var sequencesPerChunk: Int { engine.sequencesPerChunk }

    /// The current parameters, in the canonical layout.
    public var parameters: CellParameters<Scalar> { Self.cell(engine.parameters) }

    /// Replaces the parameters.
    /// - Throws: `CellForgeError` if they do not fit the kernel (kind, H, D); nothing changes.
    public func setParameters(_ parameters: CellParameters<Scalar>) throws {
        try engine.setParameters(Self.model(parameters, engine.architecture))
    }

    /// Calls `body` with the parameters as stored: the kernel's layout, `kernel.parameterStorageCount` scalars.
    public func withParameterStorage<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try engine.withParameterStorage { try body(UnsafeBufferPointer(rebasing: $0.prefix(kernel.parameterStorageCount))) }
    }

    /// The summed gradient of the last `train` or `gradient` call, in the canonical layout
    /// (after clipping, if `train` clipped it).
    public var lastGradient: CellParameters<Scalar> { Self.cell(engine.lastGradient) }

    /// Number of chunks a batch of `count` sequences is cut into.
    @inlinable public func chunkCount(sequences count: Int) -> Int { engine.chunkCount(sequences: count) }

    /// One training step over the batch (`ModelDriver.train`): gradients summed over the batch,
    /// optional clipping of the global norm, one optimizer step, or a refusal that changes nothing.
    /// - Parameters:
    ///   - initialStates: N × `kernel.stateSize` scalars, or nil for zeros.
    ///   - supervision: `.l2(targets:)` for seed 002's loss Σ ½‖h_t − y_t‖² (not averaged), or
    ///     any other model supervision (upstream gradients Δ_t, MSE, a custom loss).
    ///   - buffers: optional outputs, final states, state gradients (truncated BPTT) and input gradients.
    /// - Throws: `CellForgeError` if a shape does not match (before computing anything), or if
    ///   the optimizer's state was sized for another parameter count.
    @inlinable
    public func train<O: Optimizer>(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]? = nil,
                                    supervision: ModelSupervision<Scalar>, optimizer: inout O,
                                    clipping: GradientClipping? = nil,
                                    buffers: ModelStepBuffers<Scalar> = ModelStepBuffers()) throws -> TrainingStepResult
    where O.Scalar == Scalar {
        try engine.train(batch, initialStates: initialStates, supervision: supervision, optimizer: &optimizer,
                         clipping: clipping, buffers: buffers)
    }

    /// The batch's loss (nil for output gradients) and summed gradient at the current
    /// parameters, without a step (`ModelDriver.gradient`).
    /// - Throws: `CellForgeError` if a shape does not match.
    @inlinable
    public func gradient(_ batch: SequenceBatch<Scalar>, initialStates: [Scalar]? = nil,
                         supervision: ModelSupervision<Scalar>,
                         buffers: ModelStepBuffers<Scalar> = ModelStepBuffers()) throws
    -> (loss: Double?, gradient: CellParameters<Scalar>) {
        let (loss, gradient) = try engine.gradient(batch, initialStates: initialStates, supervision: supervision, buffers: buffers)
        return (supervision.computesLoss ? loss : nil, Self.cell(gradient))
    }

    /// Runs every sequence forward from `states` (N × `kernel.stateSize` scalars) and leaves each
    /// sequence's final state there (`ModelDriver.infer`); `outputs` receives h_t, H per step,
    /// resized only when its count does not match.
    /// - Throws: `CellForgeError` if a shape does not match (before computing anything).
    @inlinable
    public func infer(_ batch: SequenceBatch<Scalar>, states: inout [Scalar], outputs: inout [Scalar]) throws {
        try engine.infer(batch, states: &states, outputs: &outputs)
    }

    /// `infer(_:states:outputs:)` returning a new outputs array.
    @inlinable
    public func infer(_ batch: SequenceBatch<Scalar>, states: inout [Scalar]) throws -> [Scalar] {
        try engine.infer(batch, states: &states)
    }

    /// The one-layer model parameters holding the cell's `parameters`.
    /// - Throws: `CellForgeError` naming layer 0 if the cell or sizes are not `architecture`'s.
    static func model(_ parameters: CellParameters<Scalar>, _ architecture: ModelArchitecture) throws -> ModelParameters<Scalar> {
        try ModelParameters(architecture: architecture, layers: [.recurrent(parameters)])
    }

    /// The cell parameters of the one-layer model (its layer is the kernel's, so recurrent).
    @usableFromInline
    static func cell(_ model: ModelParameters<Scalar>) -> CellParameters<Scalar> { model.layers[0].recurrent! }
}
