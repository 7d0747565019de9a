import CellForge

/// The one lowering of product code (`ProductCode`) to Swift text.
extension KernelEmitter {
    /// Lowers product code; a register is declared `var` exactly when the code accumulates into it.
    func lower(_ code: ProductCode, into s: inout SourceWriter) {
        let accumulators = Set(code.accumulators)
        func lower(_ statements: [ProductStatement], _ s: inout SourceWriter) {
            for statement in statements {
                switch statement {
                case let .declare(r, value):
                    s.line("\(accumulators.contains(r) ? "var" : "let") \(r.name) = \(render(value))")
                case let .multiplyAdd(a, c, v):
                    s.line("\(a.name) = SIMDMath.madd(\(a.name), \(c.name), \(v.name))")
                case let .columnLoop(count, body):
                    s.block("for j in 0..<\(count)") { s in lower(body, &s) }
                case let .finish(registers, sink):
                    finish(registers, sink, &s)
                }
            }
        }
        lower(code.statements, &s)
    }

    /// Swift text of a declared value.
    func render(_ value: ProductValue) -> String {
        switch value {
        case .zero: return "\(chunkType)()"
        case let .parameter(block, offset):
            let terms = [block.base ?? "0", offset.text, block.isColumn ? "j * Offset.lanes" : "0"]
            return "chunk(w, \(terms.filter { $0 != "0" }.joined(separator: " + ")))"
        case let .blockProduct(b, offset): return "chunk(zt\(b), \(offset.text))"
        case let .broadcast(source): return "\(chunkType)(repeating: \(render(source)))"
        }
    }

    /// Swift text of element j of a broadcast's vector.
    func render(_ source: BroadcastSource) -> String {
        switch source {
        case let .input(b): "xt\(b)[j]"
        case let .previousHidden(b): "prev\(b)[\(named("h", "j"))]"
        case let .blockInput(q): "x[\(q == 0 ? "s0" : "(s0 + \(q))") * Offset.inputStep + j]"
        }
    }

    /// Sends the sum of finished registers to its sink.
    func finish(_ registers: [Register], _ sink: ProductSink, _ s: inout SourceWriter) {
        switch sink {
        case let .activation(b, k): emitActivation(&s, chunk: k, sequence: b, accumulators: registers)
        case let .preactivation(b, offset): emitStorePreactivation(&s, offset: offset.text, sequence: b, accumulators: registers)
        case let .blockStep(q, offset):
            s.line("put(\(registers.map(\.name).joined(separator: " + ")), z, \(q == 0 ? "s0" : "(s0 + \(q))") * zStride + \(offset.text))")
        }
    }
}
