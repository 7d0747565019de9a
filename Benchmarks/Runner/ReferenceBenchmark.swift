import BenchmarkKit
import CellForge

/// The reference cells doing the same work as the kernels, on a few sequences.
///
/// Every call on a reference cell is written in non-generic code on purpose (the
/// closures below): the reference's `@_specialize`d Float and Double entry points are
/// only chosen at concrete call sites. Through generic code — even code the optimiser
/// specialised — the generic entry point runs, and the baseline would look several
/// times slower than it is (checked in the disassembly: calls go to the `…Sf_Ts5` /
/// `…Sd_Ts5` symbols).
enum ReferenceBenchmark {
    static func measure(_ p: CellParameters<Float>, _ xs: [[[Float]]], _ dys: [[[Float]]], _ stopwatch: Stopwatch,
                        modes: Set<Mode>) throws -> [Mode: Measurement] {
        var sgd = try SGD<Float>(learningRate: 0.01 / Float(xs.count * xs[0].count))
        switch p.kind {
        case .lstm:
            var c = try ReferenceLSTM(parameters: p)
            return try time(xs, dys, stopwatch, modes,
                            forward: { try c.forward($0, initialHidden: nil, initialCell: nil) },
                            backward: { try c.backward($0, outputGradients: $1, finalHiddenGradient: nil, finalCellGradient: nil) },
                            update: { try sgd.step(&c.parameters, gradient: $0) })
        case .rnn, .rnnReLU:
            var c = try ReferenceRNN(parameters: p)
            return try time(xs, dys, stopwatch, modes,
                            forward: { try c.forward($0, initialHidden: nil, initialCell: nil) },
                            backward: { try c.backward($0, outputGradients: $1, finalHiddenGradient: nil, finalCellGradient: nil) },
                            update: { try sgd.step(&c.parameters, gradient: $0) })
        case .gru:
            var c = try ReferenceGRU(parameters: p)
            return try time(xs, dys, stopwatch, modes,
                            forward: { try c.forward($0, initialHidden: nil, initialCell: nil) },
                            backward: { try c.backward($0, outputGradients: $1, finalHiddenGradient: nil, finalCellGradient: nil) },
                            update: { try sgd.step(&c.parameters, gradient: $0) })
        }
    }

    static func measure(_ p: CellParameters<Double>, _ xs: [[[Double]]], _ dys: [[[Double]]], _ stopwatch: Stopwatch,
                        modes: Set<Mode>) throws -> [Mode: Measurement] {
        var sgd = try SGD<Double>(learningRate: 0.01 / Double(xs.count * xs[0].count))
        switch p.kind {
        case .lstm:
            var c = try ReferenceLSTM(parameters: p)
            return try time(xs, dys, stopwatch, modes,
                            forward: { try c.forward($0, initialHidden: nil, initialCell: nil) },
                            backward: { try c.backward($0, outputGradients: $1, finalHiddenGradient: nil, finalCellGradient: nil) },
                            update: { try sgd.step(&c.parameters, gradient: $0) })
        case .rnn, .rnnReLU:
            var c = try ReferenceRNN(parameters: p)
            return try time(xs, dys, stopwatch, modes,
                            forward: { try c.forward($0, initialHidden: nil, initialCell: nil) },
                            backward: { try c.backward($0, outputGradients: $1, finalHiddenGradient: nil, finalCellGradient: nil) },
                            update: { try sgd.step(&c.parameters, gradient: $0) })
        case .gru:
            var c = try ReferenceGRU(parameters: p)
            return try time(xs, dys, stopwatch, modes,
                            forward: { try c.forward($0, initialHidden: nil, initialCell: nil) },
                            backward: { try c.backward($0, outputGradients: $1, finalHiddenGradient: nil, finalCellGradient: nil) },
                            update: { try sgd.step(&c.parameters, gradient: $0) })
        }
    }

    /// Forward over every sequence; training: forward + backward per sequence, the
    /// parameter gradients summed, one SGD step. Seconds per sequence-step.
    @inline(never)
    static func time<S: CellScalar>(_ xs: [[[S]]], _ dys: [[[S]]], _ stopwatch: Stopwatch, _ modes: Set<Mode>,
                                    forward: ([[S]]) throws -> SequenceTrace<S>,
                                    backward: (SequenceTrace<S>, [[S]]) throws -> SequenceGradients<S>,
                                    update: (CellParameters<S>) throws -> Void) throws -> [Mode: Measurement] {
        let steps = Double(xs.count * xs[0].count)
        var out: [Mode: Measurement] = [:]
        var failure: Error?
        if modes.contains(.forward) || modes.contains(.latency) {
            let r = stopwatch.measure(units: steps) {
                do {
                    for x in xs { sink += Double(try forward(x).finalHidden[0]) }
                } catch { failure = error }
            }
            out[.forward] = r
        }
        if modes.contains(.training) {
            let r = stopwatch.measure(units: steps) {
                do {
                    var total: CellParameters<S>?
                    for (x, dy) in zip(xs, dys) {
                        let g = try backward(try forward(x), dy).parameters
                        if total == nil { total = g } else {
                            for k in g.values.indices { total!.values[k] += g.values[k] }
                        }
                    }
                    try update(total!)
                } catch { failure = error }
            }
            out[.training] = r
        }
        if let failure { throw failure }
        return out
    }
}
