import CellForge

/// The throughput workload for one kernel: N sequences of T steps with their inputs,
/// upstream gradients, outputs and gradient buffers, allocated once and owned here
/// (plain buffers, so workers on other threads can share them).
///
/// Sequence s occupies `input[s·T·D ..< (s+1)·T·D]` (step-major, like the kernel's
/// input), `outputGradient` and `output` `[s·T·H ..< (s+1)·T·H]`, `inputGradient`
/// like `input`, `state[s·stateSize ..< (s+1)·stateSize]`.
final class Batch<K: RecurrentKernel> {
    typealias S = K.Scalar
    let kernel: K
    let sequences: Int
    let length: Int
    let parameters: UnsafeMutableBufferPointer<S>
    /// The summed parameter gradient of the last training step.
    let gradient: UnsafeMutableBufferPointer<S>
    let input: UnsafeMutableBufferPointer<S>
    let outputGradient: UnsafeMutableBufferPointer<S>
    let output: UnsafeMutableBufferPointer<S>
    let inputGradient: UnsafeMutableBufferPointer<S>
    /// One state per sequence (zeroed before each sequence).
    let state: UnsafeMutableBufferPointer<S>
    /// One tape per worker (the sequential runner uses tape 0).
    let tapes: [UnsafeMutableBufferPointer<S>]
    var sgd: SGD<S>
    /// `BatchDriverRunner`'s driver and inputs per worker count.
    var drivers: [Int: DriverInputs<K>] = [:]
    /// Bytes past a 64-byte boundary where every buffer starts (`--misalign`; 0 by default).
    let offset: Int

    init(kernel: K, parameters: CellParameters<S>, sequences: Int, length: Int, workers: Int = 1, offset: Int = 0,
         seed: UInt64 = 7) {
        self.kernel = kernel
        self.sequences = sequences
        self.length = length
        self.offset = offset
        let (H, D, N, T) = (kernel.hiddenSize, kernel.inputSize, sequences, length)
        func zeros(_ n: Int) -> UnsafeMutableBufferPointer<S> { Batch.allocate(n, offset: offset) }
        self.parameters = zeros(kernel.parameterStorageCount)
        kernel.pack(parameters, into: self.parameters)
        gradient = zeros(kernel.parameterStorageCount)
        var rng = SplitMix64(seed: seed)
        input = zeros(N * T * D)
        for k in input.indices { input[k] = rng.nextSigned() }
        outputGradient = zeros(N * T * H)
        for k in outputGradient.indices { outputGradient[k] = rng.nextSigned() }
        output = zeros(N * T * H)
        inputGradient = zeros(N * T * D)
        state = zeros(N * kernel.stateSize)
        tapes = (0..<workers).map { _ in zeros(kernel.tapeCount(length: T)) }
        // A mean-loss learning rate: the summed gradient of N·T terms moves parameters little,
        // so the repetitions all run on parameters of the same scale.
        sgd = try! SGD(learningRate: S(0.01) / S(N * T))  // finite and > 0 for any N, T ≥ 1
    }

    deinit {
        for b in [parameters, gradient, input, outputGradient, output, inputGradient, state] + tapes {
            (UnsafeMutableRawPointer(b.baseAddress!) - offset).deallocate()
        }
    }

    /// Zeroed storage for `n` scalars at a 64-byte (cache-line) boundary plus `offset` bytes.
    ///
    /// The kernels' SIMD loads are unaligned; on buffers that only have malloc's 16-byte
    /// alignment, vectors straddle cache lines and the same kernel runs up to ~40% slower
    /// (RNN H8 D8: 33 vs 47 ns/step, depending on what was allocated before). Aligned
    /// buffers make the figures reproducible; `--misalign 16` shows the other case.
    static func allocate(_ n: Int, offset: Int) -> UnsafeMutableBufferPointer<S> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * MemoryLayout<S>.stride + 64, alignment: 64)
        let p = (raw + offset).bindMemory(to: S.self, capacity: max(n, 1))
        let b = UnsafeMutableBufferPointer(start: p, count: n)
        b.initialize(repeating: 0)
        return b
    }

    /// Inputs of the first `n` sequences as the reference cells take them: [sequence][step][D].
    func referenceInputs(_ n: Int) -> [[[S]]] {
        let (D, T) = (kernel.inputSize, length)
        return (0..<n).map { s in (0..<T).map { t in Array(input[(s * T + t) * D ..< (s * T + t + 1) * D]) } }
    }

    /// Upstream gradients of the first `n` sequences: [sequence][step][H].
    func referenceOutputGradients(_ n: Int) -> [[[S]]] {
        let (H, T) = (kernel.hiddenSize, length)
        return (0..<n).map { s in (0..<T).map { t in Array(outputGradient[(s * T + t) * H ..< (s * T + t + 1) * H]) } }
    }
}

/// How the N-sequence workload is driven: the seam where multi-worker execution and
/// interleaved batch kernels plug in.
///
/// A runner does exactly the work the flop model counts, for all N sequences:
/// `forward` — inference from a zero state, outputs kept, no tape;
/// `train` — forward with tape, backward with δx and the parameter gradient summed
/// over the batch, then one SGD step on the summed gradient.
///
/// To add one (for the lead): a `BatchDriverRunner(workers:)` that hands the batch's
/// sequences to `BatchDriver` in chunks, and/or an `InterleavedRunner` that calls an
/// interleaved batch kernel on groups of sequences; then list it in
/// `Suite.runners(for:)`. Results carry `runner` and `threads` (= `workers`), and the
/// report computes the 1-worker → n-worker scaling ratio by itself.
protocol BatchRunner {
    /// "sequential", "batchdriver", "interleaved8"…
    var name: String { get }
    /// Workers (threads) used.
    var workers: Int { get }
    func forward<K: RecurrentKernel>(_ batch: Batch<K>)
    func train<K: RecurrentKernel>(_ batch: Batch<K>)
}

/// One kernel call per sequence on the calling thread (one core).
struct SequentialRunner: BatchRunner {
    var name: String { "sequential" }
    var workers: Int { 1 }

    func forward<K: RecurrentKernel>(_ b: Batch<K>) {
        let (H, D, T, n) = (b.kernel.hiddenSize, b.kernel.inputSize, b.length, b.kernel.stateSize)
        let (kernel, w, x, out, st) = (b.kernel, b.parameters.baseAddress!, b.input.baseAddress!, b.output.baseAddress!,
                                       b.state.baseAddress!)
        for s in 0..<b.sequences {
            let state = st + s * n
            state.update(repeating: 0, count: n)
            kernel.forward(parameters: w, input: x + s * T * D, length: T, state: state, output: out + s * T * H, tape: nil)
        }
    }

    func train<K: RecurrentKernel>(_ b: Batch<K>) {
        let (H, D, T, n) = (b.kernel.hiddenSize, b.kernel.inputSize, b.length, b.kernel.stateSize)
        let (kernel, w, g, tape) = (b.kernel, b.parameters.baseAddress!, b.gradient.baseAddress!, b.tapes[0].baseAddress!)
        let (x, dy, out, dx, st) = (b.input.baseAddress!, b.outputGradient.baseAddress!, b.output.baseAddress!,
                                    b.inputGradient.baseAddress!, b.state.baseAddress!)
        b.gradient.update(repeating: 0)
        for s in 0..<b.sequences {
            let state = st + s * n
            state.update(repeating: 0, count: n)
            kernel.forward(parameters: w, input: x + s * T * D, length: T, state: state, output: out + s * T * H, tape: tape)
            kernel.backward(parameters: w, input: x + s * T * D, length: T, tape: tape, outputGradient: dy + s * T * H,
                            finalStateGradient: nil, inputGradient: dx + s * T * D, initialStateGradient: nil,
                            parameterGradient: g)
        }
        b.sgd.step(parameters: b.parameters, gradients: UnsafeBufferPointer(b.gradient))
    }
}
