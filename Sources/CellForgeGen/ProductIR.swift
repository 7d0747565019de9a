/// The typed intermediate form of the matrix products: declarations of vector registers,
/// loops over columns or steps, broadcasts of one scalar of a symbolic vector, chunk loads of
/// parameters, gradients and deltas at symbolic offsets, multiply-adds into accumulators and
/// the store of each finished accumulator, lowered to Swift by `KernelEmitter.lower(_:into:)`.
///
/// Offsets are symbolic (a named block plus a `SymbolicOffset`), so what a piece of product
/// code reads and which accumulators it keeps come from the form (`ProductCode`).

/// A loop variable times a scale plus a constant (or a constant alone): a lane offset inside
/// the gate group (`k0 + 8`) or a column index (`j + 1`, `m * 8 + 1`).
struct SymbolicOffset: Hashable {
    /// The loop variable (`k0` of a compact chunk-group loop, `j` of a column loop), if any.
    var variable: String?
    /// What the variable is multiplied by.
    var scale = 1
    /// The constant part.
    var constant: Int

    /// A constant offset.
    init(_ constant: Int) { self.variable = nil; self.constant = constant }
    /// `variable * scale + constant`.
    init(_ variable: String, times scale: Int = 1, plus constant: Int = 0) {
        self.variable = variable; self.scale = scale; self.constant = constant
    }

    /// Swift text: "8", "k0", "k0 + 8", "m * 8" (never "k0 + 0" or "k0 * 1").
    var text: String {
        guard let v = variable else { return "\(constant)" }
        let term = scale == 1 ? v : "\(v) * \(scale)"
        return constant == 0 ? term : "\(term) + \(constant)"
    }
    /// Whether the text is a sum or product (and needs parentheses as a factor).
    var isCompound: Bool { variable != nil && (scale != 1 || constant != 0) }
}

/// A vector register of product code.
enum Register: Hashable {
    /// Accumulator of sequence b's chunk i: b (+ W·x_t), and U·h_{t−1} unless kept apart.
    case input(sequence: Int, chunk: Int)
    /// Accumulator of U·h_{t−1} of sequence b's chunk i, kept apart and summed once.
    case recurrent(sequence: Int, chunk: Int)
    /// Block product accumulator of tile step q, chunk i.
    case block(step: Int, chunk: Int)
    /// Dot-product accumulator of column l of a transposed product's group.
    case dot(Int)
    /// The chunk loop's chunk of the step's δz.
    case chunkDelta
    /// The n-th pairwise fold of a reduction.
    case fold(Int)
    /// Gradient accumulator of a pass's column c, chunk k.
    case gradient(column: Int, chunk: Int)
    /// δb accumulator of chunk k.
    case biasGradient(Int)
    /// Parameter chunk i of the current column.
    case column(Int)
    /// Chunk k of the current step's δz.
    case delta(Int)
    /// The broadcast of sequence (tile step, or pass column) b's scalar of the current column.
    case broadcast(Int)

    /// The Swift name: z0_1, r0_1, a2_0 (block and gradient accumulators), q3, d, s0 (folds), b1, c1, d1, v0.
    var name: String {
        switch self {
        case let .input(b, i): "z\(b)_\(i)"
        case let .recurrent(b, i): "r\(b)_\(i)"
        case let .block(q, i): "a\(q)_\(i)"
        case let .dot(l): "q\(l)"
        case .chunkDelta: "d"
        case let .fold(n): "s\(n)"
        case let .gradient(c, k): "a\(c)_\(k)"
        case let .biasGradient(k): "b\(k)"
        case let .column(i): "c\(i)"
        case let .delta(k): "d\(k)"
        case let .broadcast(b): "v\(b)"
        }
    }
}

/// A block of the parameters (and of the parameter gradient, laid out alike).
enum ParameterBlock: Hashable {
    /// The bias b.
    case bias
    /// The columns of W, at the start of the parameters.
    case inputColumn
    /// The columns of U.
    case recurrentColumn

    /// The named base offset, nil for W (offset 0).
    var base: String? {
        switch self {
        case .bias: "Offset.bias"
        case .inputColumn: nil
        case .recurrentColumn: "Offset.recurrentColumns"
        }
    }
    /// Whether the block holds columns (indexed by a column, not a lane offset alone).
    var isColumn: Bool { self != .bias }
}

/// The δz a piece of code reads in a step's deltas.
enum DeltaBlock: Hashable {
    /// δz of the gate group.
    case gates
    /// The recurrent-side δz (GRU).
    case recurrent

    /// The named offset in a step's deltas.
    var name: String { self == .gates ? "gateDeltas" : "recurrentDeltas" }
}

/// The symbolic vector whose element a broadcast reads.
enum BroadcastSource: Hashable {
    /// x_t[j] of sequence b.
    case input(sequence: Int)
    /// h_{t−1}[j] of sequence b, from the previous record.
    case previousHidden(sequence: Int)
    /// x_{s0+q}[j], the input of tile step q of the block product.
    case blockInput(step: Int)
    /// x_t[column] of the step loop's t (parameter gradients).
    case stepInput(column: SymbolicOffset)
    /// h_{t−1}[column] of the step loop's t: record t of the tape (parameter gradients).
    case stepPreviousHidden(column: SymbolicOffset)
}

/// The value a register is declared with (or that `add` adds).
enum ProductValue: Hashable {
    /// Zero on every lane.
    case zero
    /// The parameter chunk at a lane offset in a block (plus column j's stride for columns).
    case parameter(ParameterBlock, SymbolicOffset)
    /// Chunk k (the chunk loop's) of a given column of W or U, for a transposed product.
    case columnChunk(ParameterBlock, column: SymbolicOffset)
    /// Chunk k (the chunk loop's) of the step's δz, at `delta`.
    case stepDeltaChunk(DeltaBlock)
    /// The chunk at a lane offset of sequence b's b + W·x_t computed ahead by the block product.
    case blockProduct(sequence: Int, SymbolicOffset)
    /// The chunk of the parameter gradient at a place.
    case gradient(GradientPlace)
    /// The chunk at a lane offset of the step loop's δz.
    case delta(DeltaBlock, SymbolicOffset)
    /// One scalar on every lane.
    case broadcast(BroadcastSource)
    /// Two registers' lanes folded pairwise into one (`SIMDMath.foldPairs`).
    case foldPairs(Register, Register)
    /// A register folded in halves k times (itself for k = 0).
    case foldHalves(Register, Int)
    /// The transposed sum of the accumulators staged at `Offset.reduction` in scratch.
    case transposedSum
}

/// A chunk of the parameter gradient g.
enum GradientPlace: Hashable {
    /// The chunk at a lane offset of a column of δW (or δU): block, column, lane offset.
    case column(ParameterBlock, SymbolicOffset, SymbolicOffset)
    /// The chunk at a lane offset of δb.
    case bias(SymbolicOffset)
}

/// Where finished accumulators go.
enum ProductSink: Hashable {
    /// Activated into gate chunk k of sequence b's current record (`emitActivation`).
    case activation(sequence: Int, chunk: Int)
    /// Stored unactivated at a lane offset of sequence b, for the compact activation pass.
    case preactivation(sequence: Int, SymbolicOffset)
    /// Stored at a lane offset of tile step q of the block product's output.
    case blockStep(Int, SymbolicOffset)
    /// Stored back into the parameter gradient.
    case gradient(GradientPlace)
    /// Staged at a lane offset of `Offset.reduction` in scratch for `transposedSum`.
    case reductionStage(SymbolicOffset)
}

/// A loop of product code.
enum ProductLoop: Hashable {
    /// `for j in 0..<count`: j is the column of column loads and of x_t and h_{t−1} broadcasts.
    case columns(Int)
    /// `for t in 0..<length`, binding d to step t's deltas.
    case steps
    /// `for k in 0..<count`: k is the chunk of column-chunk and δz-chunk loads.
    case chunks(Int)
}

/// The second factor of a multiply-add: a register, or a chunk loaded in place.
enum ProductOperand: Hashable {
    /// A declared register.
    case register(Register)
    /// A value loaded where it is used.
    case load(ProductValue)
}

/// One statement of product code.
indirect enum ProductStatement {
    /// Declares a register with a value (`var` if later statements accumulate into it).
    case declare(Register, ProductValue)
    /// accumulator = accumulator + a · b (one FMA where enabled).
    case multiplyAdd(Register, ProductOperand, Register)
    /// accumulator += value.
    case add(Register, ProductValue)
    /// A loop around statements.
    case loop(ProductLoop, [ProductStatement])
    /// The sum of the registers (one, or the two of a chunk kept apart) goes to a sink.
    case finish([Register], ProductSink)
}
