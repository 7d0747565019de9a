/// Where a generated kernel keeps its parameters and per-sequence tape.
///
/// **Gate lanes.** The G·H gate pre-activations are packed side by side as one
/// lane group, gate blocks in `kind.gateNames` order, each block padded from H to
/// `paddedHidden` (Hp) lanes: lane(g, k) = g·Hp + k. The group is stored as
/// `chunkCount` vectors of `chunkWidth` lanes (P = `laneCount` lanes in all), so
/// one vector activation covers every gate. For an LSTM with H = 1 that is exactly
/// one SIMD4 [a, i, f, o]; for H = 8 in Float, four SIMD8s, one per gate.
///
/// **Parameters** are stored column by column, each column one lane group:
/// column j < D holds W[·, j], column D + j holds U[·, j], column D + H holds b,
/// and a GRU appends b_hn as Hp lanes. Padding lanes hold zeros; with zero weights
/// a padding lane's state stays exactly zero in every cell, and so do its gradients.
///
/// **Tape.** T + 1 records of `recordStride` scalars (record t holds h_t and the
/// cell's other per-step vectors; record 0 the initial state), then T gate-delta
/// areas of `deltaStride` scalars, then `scratchCount` scalars of scratch.
public struct KernelLayout: ColumnMajorCellLayout, Equatable, Sendable {
    /// The cell kind.
    public let kind: CellKind
    /// H.
    public let hiddenSize: Int
    /// D.
    public let inputSize: Int
    /// Lanes of the widest vector the kernel uses (its target's width over the scalar's: 8
    /// Float or 4 Double lanes at 256 bits).
    public let vectorWidth: Int
    /// Hp: H padded so that gate blocks line up with vector parts.
    public let paddedHidden: Int
    /// Lanes in one piece of an H-vector (c, h, a gate block): H when H ≤ 2, else a power of
    /// two from 2 to `vectorWidth`.
    public let partWidth: Int
    /// Lanes in one stored vector of the gate group.
    public let chunkWidth: Int
    /// P: lanes of the whole gate group, a multiple of `chunkWidth`.
    public let laneCount: Int

    /// The layout a generated kernel for these sizes uses.
    ///
    /// H ≤ 2 packs blocks without padding (Hp = H); larger H pads to a multiple of the
    /// part width, so every gate block is whole parts. The part width is the smallest power
    /// of two ≥ H but at most `vectorWidth` (H 3 and 4 pad to 4 at every width of 4 lanes
    /// or more; at 8 lanes H 5…8 pad to 8 and larger H to a multiple of 8), except that
    /// with 16 lanes a part of 8 is taken where it needs fewer vectors for the gate group:
    /// LSTM and GRU H 17…24 pad to 24 rather than 32, 33…40 to 40 rather than 48, and so
    /// on (an RNN's single block rounds up to whole vectors either way and keeps 16).
    ///
    /// Why 8 and not less: on an AVX-512 Xeon (Float, N = 256, T = 64, ns per
    /// sequence-step, the layouts side by side in one process), LSTM H20 D1 with parts of 8
    /// against 16 trained 1.21–1.24× faster (six vectors a gate group instead of eight),
    /// GRU H20 D1 1.14–1.19× (five instead of six) and one GRU stream 1.08–1.16× faster,
    /// inference within ±4%; parts of 4 (Hp = 20) made one LSTM stream 1.9× slower and
    /// LSTM inference 0.74–0.85×, the pointwise work on 4-lane parts costing more than the
    /// padding it saves.
    public init(kind: CellKind, hiddenSize: Int, inputSize: Int, vectorWidth: Int) {
        Contract.require(hiddenSize >= 1 && inputSize >= 1, "KernelLayout: sizes must be positive")
        Contract.require([2, 4, 8, 16].contains(vectorWidth), "KernelLayout: vector width must be 2, 4, 8 or 16")
        self.kind = kind
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
        self.vectorWidth = vectorWidth
        var wp = hiddenSize
        if hiddenSize > 2 {
            wp = 4
            while wp < hiddenSize && wp < vectorWidth { wp *= 2 }
            wp = min(wp, vectorWidth)
            if wp == 16, Self.packing(kind, hiddenSize, partWidth: 8, vectorWidth).laneCount
                < Self.packing(kind, hiddenSize, partWidth: 16, vectorWidth).laneCount {
                wp = 8
            }
        }
        partWidth = wp
        (paddedHidden, chunkWidth, laneCount) = Self.packing(kind, hiddenSize, partWidth: wp, vectorWidth)
    }

    /// Hp (H rounded up to whole parts of `partWidth` lanes), the chunk width (a power of two
    /// from 2 to `vectorWidth`) and P (the G·Hp gate lanes rounded up to whole chunks).
    private static func packing(_ kind: CellKind, _ hiddenSize: Int, partWidth: Int,
                                _ vectorWidth: Int) -> (paddedHidden: Int, chunkWidth: Int, laneCount: Int) {
        let paddedHidden = (hiddenSize + partWidth - 1) / partWidth * partWidth
        let used = kind.gateCount * paddedHidden
        var width = 2
        while width < used && width < vectorWidth { width *= 2 }
        return (paddedHidden, width, (used + width - 1) / width * width)
    }

    /// G, the number of gate blocks.
    public var gateCount: Int { kind.gateCount }
    /// Vectors in the gate group.
    public var chunkCount: Int { laneCount / chunkWidth }
    /// Parts in one H-vector.
    public var partCount: Int { paddedHidden / partWidth }
    /// Lanes holding gates (the rest of `laneCount`, if any, is padding at the end).
    public var gateLaneCount: Int { gateCount * paddedHidden }
    /// The lane of unit k of gate g.
    public func lane(gate g: Int, unit k: Int) -> Int { g * paddedHidden + k }

    // MARK: Parameters

    /// Offset of column j (0 ≤ j < D + H + 1) in parameter storage.
    public func columnOffset(_ j: Int) -> Int { j * laneCount }
    /// Scalars of parameter storage.
    public var parameterStorageCount: Int {
        recurrentBiasOffset + (kind.hasRecurrentCandidateBias ? paddedHidden : 0)
    }

    // MARK: Tape

    /// Names of the Hp-lane vectors in each tape record, h first.
    /// LSTM keeps c and tanh(c); a GRU keeps hn = U_n·h_{t−1} + b_hn.
    public var recordVectors: [String] {
        switch kind {
        case .lstm: ["h", "c", "tanhC"]
        case .rnn, .rnnReLU: ["h"]
        case .gru: ["h", "hn"]
        }
    }
    /// Offset of a record vector inside a record.
    public func recordOffset(_ name: String) -> Int {
        guard let k = recordVectors.firstIndex(of: name) else { fatalError("no record vector \(name)") }
        return k * paddedHidden
    }
    /// Offset of the activated gate group y inside a record.
    public var gatesOffset: Int { recordVectors.count * paddedHidden }
    /// Scalars in one tape record.
    public var recordStride: Int { gatesOffset + laneCount }
    /// Scalars of one step's gate deltas: δz for W, b and Wᵀ; a GRU adds the recurrent δz for U and Uᵀ.
    public var deltaStride: Int { kind == .gru ? 2 * laneCount : laneCount }
    /// Scalars of scratch after the deltas: carried δh and δ of other state, products kept
    /// apart, and room to stage a group of reduction accumulators.
    public var scratchCount: Int { 2 * laneCount + 4 * paddedHidden + vectorWidth * vectorWidth }
    /// Scalars of tape one sequence of `length` steps needs.
    public func tapeCount(length: Int) -> Int {
        (length + 1) * recordStride + length * deltaStride + scratchCount
    }

    public var description: String {
        "\(kind) H\(hiddenSize) D\(inputSize): Hp \(paddedHidden), \(chunkCount) × \(chunkWidth) lanes, parts of \(partWidth)"
    }
}
