/// Where the run-time kernel (`RuntimeKernel`) keeps its parameters and per-sequence tape,
/// for any H and D.
///
/// **Gate lanes.** Each gate block is H rounded up to whole vectors of `vectorWidth` lanes
/// (Hp lanes), blocks side by side in `kind.gateNames` order: lane(g, k) = g·Hp + k, P = G·Hp
/// lanes in all, so every vector of the group lies inside one gate and takes one activation.
///
/// **Parameters** are stored column by column, each column P lanes: column j < D holds
/// W[·, j], column D + j holds U[·, j], column D + H holds b, and a GRU appends b_hn as Hp
/// lanes. Padding lanes hold zeros; with zero weights a padding lane's state stays exactly
/// zero in every cell, and so do its gradients.
///
/// **Tape.** T + 1 records of `recordStride` scalars (record t: h_t, then c_t and tanh(c_t)
/// for LSTM or U_n·h_{t−1} + b_hn for GRU, then the activated gates; record 0 the initial
/// state), then T gate-delta areas of `deltaStride` scalars, then `scratchCount` scalars
/// carrying δh (and δc) between steps.
public struct RuntimeLayout: ColumnMajorCellLayout, Equatable, Sendable {
    /// The cell kind.
    public let kind: CellKind
    /// H.
    public let hiddenSize: Int
    /// D.
    public let inputSize: Int
    /// Lanes of one vector (8 for Float, 4 for Double: 256 bits).
    public let vectorWidth: Int
    /// Hp: H rounded up to a multiple of `vectorWidth`.
    public let paddedHidden: Int

    /// The layout for these sizes at `vectorWidth` lanes (sizes are not validated here).
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int, vectorWidth: Int) {
        self.kind = kind
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
        self.vectorWidth = vectorWidth
        paddedHidden = (hiddenSize + vectorWidth - 1) / vectorWidth * vectorWidth
    }

    /// G, the number of gate blocks.
    public var gateCount: Int { kind.gateCount }
    /// P: lanes of the gate group, the stride of one parameter column.
    public var laneCount: Int { gateCount * paddedHidden }
    /// Vectors in the gate group.
    public var chunkCount: Int { laneCount / vectorWidth }
    /// The lane of unit k of gate g.
    public func lane(gate g: Int, unit k: Int) -> Int { g * paddedHidden + k }

    // MARK: Parameters

    /// Offset of column j (0 ≤ j < D + H + 1) in parameter storage.
    public func columnOffset(_ j: Int) -> Int { j * laneCount }
    /// Offset of the first U column.
    public var recurrentOffset: Int { columnOffset(inputSize) }
    /// Scalars of parameter storage.
    public var parameterStorageCount: Int {
        recurrentBiasOffset + (kind.hasRecurrentCandidateBias ? paddedHidden : 0)
    }

    // MARK: Tape

    /// Offset of c_t in a record (LSTM).
    public var cellOffset: Int { paddedHidden }
    /// Offset of tanh(c_t) in a record (LSTM).
    public var tanhCellOffset: Int { 2 * paddedHidden }
    /// Offset of U_n·h_{t−1} + b_hn in a record (GRU).
    public var candidateOffset: Int { paddedHidden }
    /// Offset of the activated gate group in a record.
    public var gatesOffset: Int {
        switch kind {
        case .lstm: 3 * paddedHidden
        case .gru: 2 * paddedHidden
        case .rnn, .rnnReLU: paddedHidden
        }
    }
    /// Scalars in one tape record.
    public var recordStride: Int { gatesOffset + laneCount }
    /// Scalars of one step's gate deltas: δz for W, b and Wᵀ; a GRU adds the recurrent δz
    /// (δr, δu, r ⊙ δn) for U, Uᵀ and b_hn.
    public var deltaStride: Int { kind == .gru ? 2 * laneCount : laneCount }
    /// Scalars of scratch after the deltas: carried δh, then carried δc.
    public var scratchCount: Int { 2 * paddedHidden }
    /// Scalars of tape one sequence of `length` steps needs.
    public func tapeCount(length: Int) -> Int {
        (length + 1) * recordStride + length * deltaStride + scratchCount
    }
    /// Scalars an inference-only forward needs: two records used in turn.
    public var inferenceCount: Int { 2 * recordStride }

    public var description: String {
        "\(kind) H\(hiddenSize) D\(inputSize): Hp \(paddedHidden), \(chunkCount) × \(vectorWidth) lanes"
    }
}
