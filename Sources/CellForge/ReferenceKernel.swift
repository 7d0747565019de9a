/// The reference cells (`ReferenceLSTM`, `ReferenceRNN`, `ReferenceGRU`) behind the
/// `RecurrentKernel` interface, so the batch driver and the benchmarks can run the
/// slow, obviously-correct baseline exactly as they run a generated kernel.
///
/// Parameter storage is the canonical `CellParameters` layout. The tape holds the
/// reference trace flattened: the initial state [h_0, c_0 (LSTM)], then for each
/// step t a record [h_t, c_t (LSTM), gates_t] (`SequenceTrace.gates`: 4H values for
/// LSTM and GRU, H for the RNN). Unlike generated kernels it allocates arrays on
/// every call: it is the baseline, not a fast path.
public struct ReferenceKernel<Scalar: CellScalar>: RecurrentKernel {
    public let kind: CellKind
    public let hiddenSize: Int
    public let inputSize: Int

    /// A reference kernel for the given cell and sizes.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ H, D ≤ `CellParameters.maximumSize`.
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int) throws {
        try CellParameters<Scalar>.validate(hiddenSize: hiddenSize, inputSize: inputSize)
        self.kind = kind
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
    }

    public var parameterStorageCount: Int {
        CellParameters<Scalar>.count(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize)
    }

    /// Scalars of `SequenceTrace.gates` per step.
    private var gateWidth: Int { kind.isSimpleRNN ? hiddenSize : 4 * hiddenSize }
    /// Scalars of one step's tape record.
    private var recordStride: Int { stateSize + gateWidth }

    public func tapeCount(length: Int) -> Int { stateSize + length * recordStride }

    public func pack(_ parameters: CellParameters<Scalar>, into storage: UnsafeMutableBufferPointer<Scalar>) {
        Contract.require(parameters.kind == kind && parameters.hiddenSize == hiddenSize && parameters.inputSize == inputSize,
                     "ReferenceKernel.pack: parameters have another kind or shape")
        Contract.require(storage.count == parameterStorageCount, "ReferenceKernel.pack: storage has the wrong size")
        _ = storage.update(fromContentsOf: parameters.values)
    }

    public func unpack(_ storage: UnsafeBufferPointer<Scalar>) -> CellParameters<Scalar> {
        Contract.require(storage.count == parameterStorageCount, "ReferenceKernel.unpack: storage has the wrong size")
        return try! CellParameters(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize, values: Array(storage))
    }

    public func forward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, length: Int,
                        state: UnsafeMutablePointer<Scalar>, output: UnsafeMutablePointer<Scalar>?,
                        tape: UnsafeMutablePointer<Scalar>?) {
        Contract.require(length >= 0, "ReferenceKernel.forward: negative length")
        let H = hiddenSize
        tape?.update(from: state, count: stateSize)
        guard length > 0 else { return }
        let cell = self.cell(parameters)
        let h0 = Array(UnsafeBufferPointer(start: state, count: H))
        let c0 = kind == .lstm ? Array(UnsafeBufferPointer(start: state + H, count: H)) : nil
        // Shapes are the kernel's own, so the reference cannot throw here.
        let trace = try! cell.forward(rows(input, length, inputSize), initialHidden: h0, initialCell: c0)
        for t in 0..<length {
            output.map { write(trace.hidden[t], to: $0 + t * H) }
            if let tape {
                let record = tape + stateSize + t * recordStride
                write(trace.hidden[t], to: record)
                if kind == .lstm { write(trace.cell[t], to: record + H) }
                write(trace.gates[t], to: record + stateSize)
            }
        }
        write(trace.finalHidden, to: state)
        if kind == .lstm { write(trace.finalCell, to: state + H) }
    }

    public func backward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, length: Int,
                         tape: UnsafeMutablePointer<Scalar>,
                         outputGradient: UnsafePointer<Scalar>?, finalStateGradient: UnsafePointer<Scalar>?,
                         inputGradient: UnsafeMutablePointer<Scalar>?, initialStateGradient: UnsafeMutablePointer<Scalar>?,
                         parameterGradient: UnsafeMutablePointer<Scalar>) {
        Contract.require(length >= 0, "ReferenceKernel.backward: negative length")
        let (H, S) = (hiddenSize, stateSize)
        guard length > 0 else {
            if let initialStateGradient {
                if let finalStateGradient { initialStateGradient.update(from: finalStateGradient, count: S) }
                else { initialStateGradient.update(repeating: 0, count: S) }
            }
            return
        }
        let records = (0..<length).map { tape + S + $0 * recordStride }
        let trace = SequenceTrace(
            kind: kind, inputs: rows(input, length, inputSize),
            initialHidden: Array(UnsafeBufferPointer(start: tape, count: H)),
            initialCell: kind == .lstm ? Array(UnsafeBufferPointer(start: tape + H, count: H)) : [],
            hidden: records.map { Array(UnsafeBufferPointer(start: $0, count: H)) },
            cell: kind == .lstm ? records.map { Array(UnsafeBufferPointer(start: $0 + H, count: H)) } : [],
            gates: records.map { Array(UnsafeBufferPointer(start: $0 + S, count: gateWidth)) })
        let dy = outputGradient.map { rows($0, length, H) } ?? Array(repeating: Array(repeating: 0, count: H), count: length)
        let dh = finalStateGradient.map { Array(UnsafeBufferPointer(start: $0, count: H)) }
        let dc = kind == .lstm ? finalStateGradient.map { Array(UnsafeBufferPointer(start: $0 + H, count: H)) } : nil
        let grads = try! cell(parameters).backward(trace, outputGradients: dy, finalHiddenGradient: dh, finalCellGradient: dc)
        if let inputGradient {
            for t in 0..<length { write(grads.inputs[t], to: inputGradient + t * inputSize) }
        }
        if let initialStateGradient {
            write(grads.initialHidden, to: initialStateGradient)
            if kind == .lstm { write(grads.initialCell, to: initialStateGradient + H) }
        }
        for (k, g) in grads.parameters.values.enumerated() { parameterGradient[k] += g }
    }

    /// The reference cell with the parameters in `storage`.
    private func cell(_ storage: UnsafePointer<Scalar>) -> any ReferenceCell<Scalar> {
        let p = unpack(UnsafeBufferPointer(start: storage, count: parameterStorageCount))
        return switch kind {
        case .lstm: try! ReferenceLSTM(parameters: p)
        case .rnn, .rnnReLU: try! ReferenceRNN(parameters: p)
        case .gru: try! ReferenceGRU(parameters: p)
        }
    }

    /// `count` rows of `width` scalars starting at `p`.
    private func rows(_ p: UnsafePointer<Scalar>, _ count: Int, _ width: Int) -> [[Scalar]] {
        (0..<count).map { Array(UnsafeBufferPointer(start: p + $0 * width, count: width)) }
    }

    private func write(_ values: [Scalar], to p: UnsafeMutablePointer<Scalar>) {
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
    }
}
