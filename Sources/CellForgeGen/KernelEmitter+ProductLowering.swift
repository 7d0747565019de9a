import CellForge

/// The one lowering of product code (`ProductCode`) to Swift text.
extension KernelEmitter {
    /// Lowers product code; a register is declared `var` exactly when the code accumulates into it.
    ///
    /// Pointers the column loops index are computed once in front of them: `wk`, the parameters
    /// advanced to the chunk group's lane offset, and `xs0`, `xs1`, …, the block product's inputs
    /// x_{s0+q}. Inside the loops an index is then constants and j alone, whose range the
    /// compiler knows: k0 + 8 + j · P written out costs an overflow check per load and kept
    /// LSTM H64 D64 inference 7% slower than the unrolled form.
    func lower(_ code: ProductCode, into s: inout SourceWriter) {
        let accumulators = Set(code.accumulators)
        if let lane = code.parameterLaneVariable { s.line("let wk = w + \(lane.text) // the parameters from this group's first lane on") }
        for q in code.blockInputSteps { s.line("let xs\(q) = x + \(blockStep(q)) * Offset.inputStep") }
        func lower(_ statements: [ProductStatement], _ s: inout SourceWriter) {
            for statement in statements {
                switch statement {
                case let .declare(r, value):
                    s.line("\(accumulators.contains(r) ? "var" : "let") \(r.name) = \(render(value))")
                case let .multiplyAdd(a, x, y):
                    s.line("\(a.name) = SIMDMath.madd(\(a.name), \(render(x)), \(y.name))")
                case let .add(a, value):
                    s.line("\(a.name) += \(render(value))")
                case let .loop(.columns(count), body):
                    s.block("for j in 0..<\(count)") { s in lower(body, &s) }
                case let .loop(.chunks(count), body):
                    s.block("for k in 0..<\(count)") { s in lower(body, &s) }
                case let .loop(.steps, body):
                    s.block("for t in 0..<length") { s in
                        s.line("let d = deltas + t * Offset.deltaStride")
                        lower(body, &s)
                    }
                case let .finish(registers, sink):
                    finish(registers, sink, &s)
                }
            }
        }
        lower(code.statements, &s)
    }

    /// Swift text of a value.
    func render(_ value: ProductValue) -> String {
        switch value {
        case .zero: return "\(chunkType)()"
        case let .parameter(block, offset):
            // A lane offset with a variable part reads through `wk` (see `lower`), from its constant part.
            let lane = offset.variable == nil ? offset.text : "\(offset.constant)"
            let terms = [block.base ?? "0", lane, block.isColumn ? "j * Offset.lanes" : "0"]
            return "chunk(\(offset.variable == nil ? "w" : "wk"), \(terms.filter { $0 != "0" }.joined(separator: " + ")))"
        case let .blockProduct(b, offset): return "chunk(zt\(b), \(offset.text))"
        case let .columnChunk(block, column):
            // The group's column as the transposed products have always written it: "(m * 4 + 1)", "(m * 1)", "5", or nothing for 0.
            let c = column.variable.map { "(\($0) * \(column.scale)\(column.constant == 0 ? "" : " + \(column.constant)")) * Offset.lanes + " }
                ?? (column.constant == 0 ? "" : "\(column.constant) * Offset.lanes + ")
            return "chunk(w, " + (block.base.map { $0 + " + " } ?? "") + c + "k * \(w))"
        case let .stepDeltaChunk(block): return "chunk(delta, \(named(block.name, "k * \(w)")))"
        case let .gradient(place): return "chunk(g, \(render(place)))"
        case let .delta(block, offset): return "chunk(d, \(named(block.name, offset.text)))"
        case let .broadcast(source): return "\(chunkType)(repeating: \(render(source)))"
        case let .foldPairs(a, b): return "SIMDMath.foldPairs(\(a.name), \(b.name))"
        case let .foldHalves(r, k): return (0..<k).reduce(r.name) { text, _ in "SIMDMath.foldHalves(\(text))" }
        case .transposedSum: return "SIMDMath.transposedSum(scratch + Offset.reduction, as: \(chunkType).self)"
        }
    }

    /// The step index s0 + q of tile step q of the block product ("s0", "(s0 + 1)", …).
    func blockStep(_ q: Int) -> String { q == 0 ? "s0" : "(s0 + \(q))" }

    /// Swift text of a multiply-add's second factor.
    func render(_ operand: ProductOperand) -> String {
        switch operand {
        case let .register(r): r.name
        case let .load(value): render(value)
        }
    }

    /// Swift text of the scalar a broadcast reads.
    func render(_ source: BroadcastSource) -> String {
        switch source {
        case let .input(b): "xt\(b)[j]"
        case let .previousHidden(b): "prev\(b)[\(named("h", "j"))]"
        case let .blockInput(q): "xs\(q)[j]"
        case let .stepInput(j): "x[t * Offset.inputStep + \(j.text)]"
        case let .stepPreviousHidden(j): "tape[t * Offset.recordStride + \(named("h", j.text))]"
        }
    }

    /// Offset text of a chunk of the parameter gradient: named base, column × lanes, lane offset.
    func render(_ place: GradientPlace) -> String {
        switch place {
        case let .bias(offset): return named("bias", offset.text)
        case let .column(block, column, lane):
            let factor = column.isCompound ? "(\(column.text))" : column.text
            return (block.base.map { $0 + " + " } ?? "") + "\(factor) * Offset.lanes" + (lane.text == "0" ? "" : " + \(lane.text)")
        }
    }

    /// Sends the sum of finished registers to its sink.
    func finish(_ registers: [Register], _ sink: ProductSink, _ s: inout SourceWriter) {
        let sum = registers.map(\.name).joined(separator: " + ")
        switch sink {
        case let .activation(b, k): emitActivation(&s, chunk: k, sequence: b, accumulators: registers)
        case let .preactivation(b, offset): emitStorePreactivation(&s, offset: offset.text, sequence: b, accumulators: registers)
        case let .blockStep(q, offset): s.line("put(\(sum), z, \(blockStep(q)) * zStride + \(offset.text))")
        case let .gradient(place): s.line("put(\(sum), g, \(render(place)))")
        case let .reductionStage(offset): s.line("put(\(sum), scratch, \(named("reduction", offset.text)))")
        }
    }
}
