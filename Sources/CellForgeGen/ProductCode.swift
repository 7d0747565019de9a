/// A piece of product code (`ProductStatement`s) and what it reads and keeps, taken from its
/// statements rather than from the Swift text they lower to.
struct ProductCode {
    /// The statements, in order.
    var statements: [ProductStatement] = []

    /// Every statement, loops flattened (each loop before its body), in order.
    var flattened: [ProductStatement] {
        func walk(_ list: [ProductStatement]) -> [ProductStatement] {
            list.flatMap { if case let .loop(_, body) = $0 { [$0] + walk(body) } else { [$0] } }
        }
        return walk(statements)
    }
    /// Registers accumulated into, in order of declaration: the accumulators the code keeps live.
    var accumulators: [Register] {
        let written = Set(flattened.compactMap { statement -> Register? in
            switch statement {
            case let .multiplyAdd(a, _, _), let .add(a, _): a
            default: nil
            }
        })
        return flattened.compactMap { if case let .declare(r, _) = $0, written.contains(r) { r } else { nil } }
    }
    /// Every value the code loads (declared, added or multiplied in place), in order.
    var values: [ProductValue] {
        flattened.compactMap { statement -> ProductValue? in
            switch statement {
            case let .declare(_, v), let .add(_, v), let .multiplyAdd(_, .load(v), _): v
            default: nil
            }
        }
    }
    /// The vectors whose elements the code broadcasts, in order of first use.
    var broadcastSources: [BroadcastSource] {
        var seen: [BroadcastSource] = []
        for case let .broadcast(source) in values where !seen.contains(source) { seen.append(source) }
        return seen
    }
    /// The parameter blocks the code loads, in order of first use.
    var parameterBlocks: [ParameterBlock] {
        var seen: [ParameterBlock] = []
        for value in values {
            switch value {
            case let .parameter(block, _), let .columnChunk(block, _): if !seen.contains(block) { seen.append(block) }
            default: break
            }
        }
        return seen
    }
    /// The variable part (`k0`) of the lane offsets of the parameter chunks the code loads, if
    /// any: the lowering reads those chunks through one pointer advanced by it (`wk`), so that
    /// the column loops index with constants and j alone. Nil when every offset is constant.
    var parameterLaneVariable: SymbolicOffset? {
        let variables = Set(values.compactMap { value -> SymbolicOffset? in
            guard case let .parameter(_, offset) = value, let v = offset.variable else { return nil }
            return SymbolicOffset(v, times: offset.scale)
        })
        precondition(variables.count <= 1, "product code with parameter offsets in more than one variable: \(variables)")
        return variables.first
    }
    /// The tile steps q whose input x_{s0+q} the code broadcasts (the block product), in order.
    var blockInputSteps: [Int] {
        broadcastSources.compactMap { if case let .blockInput(q) = $0 { q } else { nil } }
    }
    /// Whether the code reads the previous record (h_{t−1}).
    var readsPreviousRecord: Bool {
        broadcastSources.contains {
            switch $0 {
            case .previousHidden, .stepPreviousHidden: true
            default: false
            }
        }
    }
}
