/// One real-time stream through a model: per-sample and per-block processing with the state
/// carried from call to call.
///
/// Everything is allocated in `init` (parameters copied into the stream's own 64-byte-aligned
/// buffer, states, and per layer an output buffer and a tape for `maximumBlock` steps that the
/// kernels use as scratch), so `process` and `reset` allocate nothing, take no lock and use no
/// Foundation: safe on an audio thread. Blocks longer than `maximumBlock` are run in pieces.
///
/// Outputs equal `ModelDriver.infer` on the same samples bit for bit (the kernels' batched and
/// single-sequence paths agree bit for bit, and dense and activation layers are the same code).
///
/// **Non-finite input.** The state carries what it is given: a NaN input (or one that makes a
/// gate NaN) leaves a NaN state, and every later output is NaN until `reset()` or `setState(_:)`.
/// `stateIsFinite` detects it without allocating (safe on an audio thread); `checkFinite()`
/// reports the layer.
///
/// Not thread-safe: one stream per thread (copy-free: each stream owns its buffers).
public final class ModelStream<Scalar: CellScalar> {
    /// The layers and parameter layout.
    public let model: PackedModel<Scalar>
    /// The most steps one kernel call covers.
    public let maximumBlock: Int
    /// The largest `maximumBlock` accepted, 65,536 steps: the stream allocates an output buffer
    /// and a tape for that many steps per layer, and longer blocks are run in pieces anyway.
    public static var maximumBlockLimit: Int { 1 << 16 }
    @usableFromInline let parameters: UnsafeMutablePointer<Scalar>
    @usableFromInline let state: UnsafeMutablePointer<Scalar>
    @usableFromInline let outputs: [UnsafeMutablePointer<Scalar>]
    @usableFromInline let tapes: [UnsafeMutablePointer<Scalar>]
    /// Per layer, what one `run` hands it, resolved once in `init`.
    @usableFromInline let stages: [Stage]
    /// D and O.
    public let inputSize: Int, outputSize: Int

    /// One layer's call: its kernel, parameters, state, tape and output buffer (nil: the caller's output).
    @usableFromInline
    struct Stage {
        @usableFromInline let layer: any ModelLayer<Scalar>
        @usableFromInline let parameters: UnsafePointer<Scalar>
        @usableFromInline let state: UnsafeMutablePointer<Scalar>
        @usableFromInline let tape: UnsafeMutablePointer<Scalar>
        @usableFromInline let output: UnsafeMutablePointer<Scalar>?
    }

    /// A stream of `parameters` through `layers`, starting from the zero state.
    /// - Throws: `CellForgeError` if a layer does not match the architecture or `maximumBlock` is not
    ///   between 1 and `maximumBlockLimit`.
    public init(parameters: ModelParameters<Scalar>, layers: [any ModelLayer<Scalar>], maximumBlock: Int = 64) throws {
        guard (1...Self.maximumBlockLimit).contains(maximumBlock) else {
            throw CellForgeError.invalidSize(name: "maximum block", value: maximumBlock, allowed: "between 1 and \(Self.maximumBlockLimit)")
        }
        let model = try PackedModel(architecture: parameters.architecture, layers: layers)
        let storage = UnsafeMutableBufferPointer<Scalar>(start: AlignedMemory.zeroed(model.parameterCount),
                                                 count: model.parameterCount)
        do { try model.pack(parameters, into: storage) } catch { storage.deallocate(); throw error }
        self.model = model
        self.maximumBlock = maximumBlock
        self.parameters = storage.baseAddress!
        state = AlignedMemory.zeroed(model.stateSize)
        outputs = layers.map { AlignedMemory.zeroed(maximumBlock * $0.shape.outputSize) }
        tapes = layers.map { AlignedMemory.zeroed($0.tapeCount(length: maximumBlock)) }
        inputSize = model.architecture.inputSize
        outputSize = model.architecture.outputSize
        let (top, base, state, outputs, tapes) = (layers.count - 1, self.parameters, self.state, outputs, tapes)
        stages = layers.indices.map { l in
            Stage(layer: layers[l], parameters: base + model.layerOffsets[l], state: state + model.stateOffsets[l],
                  tape: tapes[l], output: l == top ? nil : outputs[l])
        }
    }

    /// A stream whose layers are opened from `registry`.
    /// - Throws: `CellForgeError` naming the layer whose size has no kernel.
    @inlinable
    public convenience init<R: KernelRegistry>(parameters: ModelParameters<Scalar>, registry: R.Type,
                                               maximumBlock: Int = 64) throws {
        try self.init(parameters: parameters, layers: parameters.architecture.openLayers(registry, scalar: Scalar.self),
                      maximumBlock: maximumBlock)
    }

    deinit {
        parameters.deallocate()
        state.deallocate()
        outputs.forEach { $0.deallocate() }
        tapes.forEach { $0.deallocate() }
    }

    /// The carried state, `model.stateSize` scalars (each layer's [h, c], layer-major).
    public var currentState: [Scalar] { Array(UnsafeBufferPointer(start: state, count: model.stateSize)) }

    /// Sets the carried state to zero (no allocation).
    @inlinable
    public func reset() { state.update(repeating: 0, count: model.stateSize) }

    /// Replaces the carried state.
    /// - Throws: `CellForgeError` unless `values` has `model.stateSize` scalars, all finite (nothing changes).
    public func setState(_ values: [Scalar]) throws {
        guard values.count == model.stateSize else {
            throw CellForgeError.shapeMismatch(name: "stream state", expected: "\(model.stateSize) values", actual: "\(values.count)")
        }
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw CellForgeError.nonFinite(name: "stream state (value \(k) is \(values[k]))")
        }
        values.withUnsafeBufferPointer { state.update(from: $0.baseAddress!, count: model.stateSize) }
    }

    /// Whether every value of the carried state is finite: O(state size), no allocation, no lock.
    @inlinable
    public var stateIsFinite: Bool { firstNonFiniteState == nil }

    /// Throws unless every value of the carried state is finite.
    /// - Throws: `CellForgeError.nonFinite` naming the first layer with a NaN or infinite state value.
    public func checkFinite() throws {
        guard let k = firstNonFiniteState else { return }
        let layer = model.stateOffsets.lastIndex { $0 <= k }!
        throw CellForgeError.nonFinite(name: "stream state of layer \(layer) (value \(k - model.stateOffsets[layer]) is \(state[k]))")
    }

    /// The index of the first NaN or infinite value of the carried state, or nil.
    @inlinable
    var firstNonFiniteState: Int? { UnsafeBufferPointer(start: state, count: model.stateSize).firstIndex { !$0.isFinite } }

    /// Runs `frames` samples: D scalars each from `input`, O scalars each into `output`.
    /// Unchecked (a real-time entry point): the pointers must hold that many scalars.
    @inlinable
    public func process(input: UnsafePointer<Scalar>, output: UnsafeMutablePointer<Scalar>, frames: Int) {
        let (D, O) = (inputSize, outputSize)
        StepSegments.forEach(length: frames, maximum: maximumBlock) { start, steps in
            run(input + start * D, steps, output + start * O)
        }
    }

    /// One sample: D scalars from `input`, O scalars into `output`.
    @inlinable
    public func process(input: UnsafePointer<Scalar>, output: UnsafeMutablePointer<Scalar>) {
        run(input, 1, output)
    }

    /// One sample of a model with D = 1 and O = 1.
    @inlinable
    public func process(_ sample: Scalar) -> Scalar {
        Contract.require(inputSize == 1 && outputSize == 1, "ModelStream.process(_:) needs D = 1 and O = 1")
        var x = sample, y: Scalar = 0
        run(&x, 1, &y)
        return y
    }

    /// Up to `maximumBlock` steps through every layer.
    @inlinable
    func run(_ input: UnsafePointer<Scalar>, _ length: Int, _ output: UnsafeMutablePointer<Scalar>) {
        var x = input
        stages.withUnsafeBufferPointer { stages in
            for stage in stages {
                let h = stage.output ?? output
                stage.layer.forward(parameters: stage.parameters, batch: KernelBatch(
                    count: 1, length: length, input: x, inputStride: 0, state: stage.state, stateStride: 0,
                    output: h, outputStride: 0, tape: stage.tape, tapeStride: 0))
                x = UnsafePointer(h)
            }
        }
    }
}
