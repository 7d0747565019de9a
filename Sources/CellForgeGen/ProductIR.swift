/// The typed intermediate form of the matrix products: declarations of vector registers,
/// loops over columns, broadcasts of one scalar of a symbolic vector, chunk loads of parameter
/// columns at symbolic lane offsets, multiply-adds into accumulators and the store of each
/// finished accumulator, lowered to Swift by `KernelEmitter.lower(_:into:)`.
///
/// Offsets are symbolic (a named parameter block plus a `LaneOffset`), so what a piece of
/// product code reads and which accumulators it keeps come from the form (`ProductCode`).

/// A lane offset inside the gate group: a constant, or a loop variable plus a constant.
struct LaneOffset: Hashable {
    /// The loop variable (`k0` of a compact chunk-group loop), if any.
    var variable: String?
    /// The constant part, in lanes.
    var constant: Int

    /// A constant offset.
    init(_ constant: Int) { self.variable = nil; self.constant = constant }
    /// `variable + constant`.
    init(_ variable: String, plus constant: Int = 0) { self.variable = variable; self.constant = constant }

    /// Swift text: "8", "k0", "k0 + 8" (never "k0 + 0").
    var text: String {
        guard let v = variable else { return "\(constant)" }
        return constant == 0 ? v : "\(v) + \(constant)"
    }
}

/// A vector register of product code.
enum Register: Hashable {
    /// Accumulator of sequence b's chunk i: b (+ W·x_t), and U·h_{t−1} unless kept apart.
    case input(sequence: Int, chunk: Int)
    /// Accumulator of U·h_{t−1} of sequence b's chunk i, kept apart and summed once.
    case recurrent(sequence: Int, chunk: Int)
    /// Block product accumulator of tile step q, chunk i.
    case block(step: Int, chunk: Int)
    /// Parameter chunk i of the current column.
    case column(Int)
    /// The broadcast of sequence (or tile step) b's scalar of the current column.
    case broadcast(Int)

    /// The Swift name: z0_1, r0_1, a2_0, c1, v0.
    var name: String {
        switch self {
        case let .input(b, i): "z\(b)_\(i)"
        case let .recurrent(b, i): "r\(b)_\(i)"
        case let .block(q, i): "a\(q)_\(i)"
        case let .column(i): "c\(i)"
        case let .broadcast(b): "v\(b)"
        }
    }
}

/// A block of the parameters that product code loads chunks from.
enum ParameterBlock: Hashable {
    /// The bias b.
    case bias
    /// Column j of W (the loop's column), at the start of the parameters.
    case inputColumn
    /// Column j of U (the loop's column).
    case recurrentColumn

    /// The named base offset, nil for W (offset 0).
    var base: String? {
        switch self {
        case .bias: "Offset.bias"
        case .inputColumn: nil
        case .recurrentColumn: "Offset.recurrentColumns"
        }
    }
    /// Whether the block is indexed by the column loop's variable j.
    var isColumn: Bool { self != .bias }
}

/// The symbolic vector whose element j (the column loop's variable) a broadcast reads.
enum BroadcastSource: Hashable {
    /// x_t of sequence b.
    case input(sequence: Int)
    /// h_{t−1} of sequence b, from the previous record.
    case previousHidden(sequence: Int)
    /// x_{s0+q}, the input of tile step q of the block product.
    case blockInput(step: Int)
}

/// The value a register is declared with.
enum ProductValue: Hashable {
    /// Zero on every lane.
    case zero
    /// The parameter chunk at a lane offset in a block (plus column j's stride for columns).
    case parameter(ParameterBlock, LaneOffset)
    /// The chunk at a lane offset of sequence b's b + W·x_t computed ahead by the block product.
    case blockProduct(sequence: Int, LaneOffset)
    /// One scalar on every lane.
    case broadcast(BroadcastSource)
}

/// Where finished accumulators go.
enum ProductSink: Hashable {
    /// Activated into gate chunk k of sequence b's current record (`emitActivation`).
    case activation(sequence: Int, chunk: Int)
    /// Stored unactivated at a lane offset of sequence b, for the compact activation pass.
    case preactivation(sequence: Int, LaneOffset)
    /// Stored at a lane offset of tile step q of the block product's output.
    case blockStep(Int, LaneOffset)
}

/// One statement of product code.
indirect enum ProductStatement {
    /// Declares a register with a value (`var` if later statements accumulate into it).
    case declare(Register, ProductValue)
    /// accumulator = accumulator + chunk · broadcast (one FMA where enabled).
    case multiplyAdd(Register, Register, Register)
    /// `for j in 0..<count`, j being the column that column loads and broadcasts use.
    case columnLoop(Int, [ProductStatement])
    /// The sum of the registers (one, or the two of a chunk kept apart) goes to a sink.
    case finish([Register], ProductSink)
}

/// A piece of product code and what it reads and keeps, taken from its statements.
struct ProductCode {
    /// The statements, in order.
    var statements: [ProductStatement] = []

    /// Every statement, loops flattened, in order.
    var flattened: [ProductStatement] {
        func walk(_ list: [ProductStatement]) -> [ProductStatement] {
            list.flatMap { if case let .columnLoop(_, body) = $0 { [$0] + walk(body) } else { [$0] } }
        }
        return walk(statements)
    }
    /// Registers accumulated into, in order of declaration: the accumulators the code keeps live.
    var accumulators: [Register] {
        let written = Set(flattened.compactMap { if case let .multiplyAdd(a, _, _) = $0 { a } else { nil } })
        return flattened.compactMap { if case let .declare(r, _) = $0, written.contains(r) { r } else { nil } }
    }
    /// The vectors whose elements the code broadcasts, in order of first use.
    var broadcastSources: [BroadcastSource] {
        var seen: [BroadcastSource] = []
        for case let .declare(_, .broadcast(source)) in flattened where !seen.contains(source) { seen.append(source) }
        return seen
    }
    /// The parameter blocks the code loads, in order of first use.
    var parameterBlocks: [ParameterBlock] {
        var seen: [ParameterBlock] = []
        for case let .declare(_, .parameter(block, _)) in flattened where !seen.contains(block) { seen.append(block) }
        return seen
    }
    /// Whether the code reads the previous record (h_{t−1}).
    var readsPreviousRecord: Bool {
        broadcastSources.contains { if case .previousHidden = $0 { true } else { false } }
    }
}
