import CellForge

/// The backward's products as product code: the parameter gradients after the step loop (each
/// gradient chunk loaded from g, accumulating Σ_t over all steps in a register, stored back
/// once) and the dot products of the transposed products Uᵀ·δz and Wᵀ·δz inside it.
extension KernelEmitter {
    /// One pass of an outer product: for each column c of `columns` and each of n chunks at
    /// lane offsets `offset(k)`, gradient[c] += Σ_t δz_t · source(column c), one δ chunk load
    /// serving every column and one broadcast every chunk.
    func outerProducts(columns: [SymbolicOffset], chunks n: Int, offset: (Int) -> SymbolicOffset, block: ParameterBlock,
                       deltas: DeltaBlock, source: (SymbolicOffset) -> BroadcastSource) -> ProductCode {
        func place(_ c: Int, _ k: Int) -> GradientPlace { .column(block, columns[c], offset(k)) }
        var code = ProductCode()
        for c in columns.indices {
            for k in 0..<n { code.statements.append(.declare(.gradient(column: c, chunk: k), .gradient(place(c, k)))) }
        }
        var body: [ProductStatement] = (0..<n).map { .declare(.delta($0), .delta(deltas, offset($0))) }
        for c in columns.indices {
            body.append(.declare(.broadcast(c), .broadcast(source(columns[c]))))
            for k in 0..<n { body.append(.multiplyAdd(.gradient(column: c, chunk: k), .register(.delta(k)), .broadcast(c))) }
        }
        code.statements.append(.loop(.steps, body))
        for c in columns.indices {
            for k in 0..<n { code.statements.append(.finish([.gradient(column: c, chunk: k)], .gradient(place(c, k)))) }
        }
        return code
    }

    /// δb += Σ_t δz_t for n chunks at lane offsets `offset(k)`.
    func biasGradient(chunks n: Int, offset: (Int) -> SymbolicOffset) -> ProductCode {
        var code = ProductCode()
        code.statements += (0..<n).map { .declare(.biasGradient($0), .gradient(.bias(offset($0)))) }
        code.statements.append(.loop(.steps, (0..<n).map { .add(.biasGradient($0), .delta(.gates, offset($0))) }))
        code.statements += (0..<n).map { .finish([.biasGradient($0)], .gradient(.bias(offset($0)))) }
        return code
    }
}

extension KernelEmitter {
    /// One column group of a transposed product Mᵀ·δz (M = W or U): n dot-product accumulators,
    /// the first `lanes` of them taking q_l += M[·, columns(l)] chunk k · δz chunk k over the
    /// chunks k of the gate group (the rest stay zero for the group's reduction).
    func transposedProduct(block: ParameterBlock, deltas: DeltaBlock, columns: (Int) -> SymbolicOffset,
                           width n: Int, lanes: Int) -> ProductCode {
        var code = ProductCode()
        code.statements += (0..<n).map { .declare(.dot($0), .zero) }
        var body: [ProductStatement] = [.declare(.chunkDelta, .stepDeltaChunk(deltas))]
        body += (0..<lanes).map { .multiplyAdd(.dot($0), .load(.columnChunk(block, column: columns($0))), .chunkDelta) }
        code.statements.append(.loop(.chunks(layout.chunkCount), body))
        return code
    }

    /// Reduces n accumulators of `w` lanes to one n-lane vector of their sums: the statements,
    /// and the value that holds the result. A full group of target-width accumulators is staged
    /// at `Offset.reduction` in scratch for the out-of-line `SIMDMath.transposedSum`; others
    /// fold in pairs, then in halves down to n lanes.
    func reduction(_ registers: [Register]) -> ([ProductStatement], ProductValue) {
        if stagesReduction(registers.count) {
            return (registers.enumerated().map { .finish([$0.element], .reductionStage(SymbolicOffset($0.offset * w))) }, .transposedSum)
        }
        var statements: [ProductStatement] = []
        var current = registers, counter = 0
        while current.count > 1 {
            var next: [Register] = []
            for p in stride(from: 0, to: current.count, by: 2) {
                let r = Register.fold(counter); counter += 1
                statements.append(.declare(r, .foldPairs(current[p], current[p + 1])))
                next.append(r)
            }
            current = next
        }
        var width = w, halvings = 0
        while width > registers.count { width /= 2; halvings += 1 }
        return (statements, .foldHalves(current[0], halvings))
    }
}
