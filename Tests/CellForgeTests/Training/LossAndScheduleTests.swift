import CellForge
import Foundation
import Testing

/// Learning-rate schedules against PyTorch's schedulers, losses against NAM's loss functions
/// and autograd (float64), and the epoch order against an independent implementation.
@Suite struct LossAndScheduleTests {
    @Test func schedulesMatchPyTorch() throws {
        for s in try TrainingFixtures.load().schedules {
            let schedule: LearningRateSchedule = switch s.kind {
            case "step": .step(every: s.every!, factor: s.factor!)
            case "exponential": .exponential(factor: s.factor!)
            case "cosine": .cosine(period: s.period!, minimum: s.minimum!)
            default: .reduceOnPlateau(factor: s.factor!, patience: s.patience!, threshold: s.threshold!, minimum: s.minimum!)
            }
            var scheduler = try LearningRateScheduler(schedule, baseRate: s.base)
            for (e, expected) in s.rates.enumerated() {
                let rate = scheduler.rate(epoch: e)
                #expect(abs(rate - expected) <= 1e-12 * expected, "\(s.kind) epoch \(e): \(rate) vs PyTorch \(expected)")
                scheduler.endEpoch(metric: s.metrics?[e] ?? 0)
            }
        }
    }

    @Test func invalidSchedulesAreRefused() {
        for bad: LearningRateSchedule in [.step(every: 0, factor: 0.5), .exponential(factor: 1.5), .cosine(period: 0, minimum: 0),
                                          .reduceOnPlateau(factor: 1, patience: 1, threshold: 0, minimum: 0), .exponential(factor: .nan)] {
            #expect(throws: CellForgeError.self) { try bad.validate() }
        }
        #expect(throws: CellForgeError.self) { try LearningRateScheduler(.constant, baseRate: 0) }
    }

    /// The loss of the fixture's batch through `SequenceLoss`, the burn-in's Δ zero.
    func evaluate(_ loss: any SequenceLoss<Double>, _ f: TrainingFixtures.Loss) -> (Double, [Double]) {
        let B = f.outputs.count / f.length, S = f.length - f.burnIn
        let normaliser = f.targets.withUnsafeBufferPointer { t in
            (0..<B).reduce(0.0) { $0 + loss.normaliser(targets: UnsafeBufferPointer(rebasing: t[(($1 * f.length) + f.burnIn)..<(($1 + 1) * f.length)]), outputSize: 1) }
        }
        let context = LossContext(sequences: B, scoredValues: B * S, outputSize: 1, normaliser: normaliser)
        var gradient = [Double](repeating: 0, count: f.outputs.count), total = 0.0
        for n in 0..<B {
            let range = (n * f.length + f.burnIn)..<((n + 1) * f.length)
            f.outputs.withUnsafeBufferPointer { y in
                f.targets.withUnsafeBufferPointer { t in
                    gradient.withUnsafeMutableBufferPointer { g in
                        total += loss.evaluate(outputs: UnsafeBufferPointer(rebasing: y[range]), targets: UnsafeBufferPointer(rebasing: t[range]),
                                               gradient: UnsafeMutableBufferPointer(rebasing: g[range]), context: context)
                    }
                }
            }
        }
        return (total, gradient)
    }

    @Test func lossesMatchNAMAndAutograd() throws {
        for f in try TrainingFixtures.load().losses {
            let loss: any SequenceLoss<Double> = f.name == "mse" ? MeanSquaredErrorLoss()
                : try ErrorToSignalRatioLoss(preEmphasis: f.coefficient, scope: f.name.hasSuffix("sequence") ? .sequence : .batch)
            let (value, gradient) = evaluate(loss, f)
            #expect(abs(value - f.loss) <= 1e-13 * f.loss, "\(f.name): \(value) vs NAM \(f.loss)")
            let scale = f.gradient.map(abs).max()!
            for k in gradient.indices {
                #expect(abs(gradient[k] - f.gradient[k]) <= 1e-13 * scale, "\(f.name) Δ[\(k)]: \(gradient[k]) vs autograd \(f.gradient[k])")
            }
        }
    }

    /// ESR with pre-emphasis on two outputs per step (filtered per output), against central
    /// differences, in both scopes.
    @Test(arguments: [ErrorToSignalRatioLoss<Double>.Scope.batch, .sequence])
    func preEmphasisESRGradientMatchesFiniteDifferences(_ scope: ErrorToSignalRatioLoss<Double>.Scope) throws {
        var rng = SplitMix64(seed: 3)
        let steps = 12, O = 2
        var y = (0..<(steps * O)).map { _ in rng.nextSigned(Double.self) }
        let t = (0..<(steps * O)).map { _ in rng.nextSigned(Double.self) }
        let loss = try ErrorToSignalRatioLoss<Double>(preEmphasis: 0.7, scope: scope)
        // As if the batch held another sequence with target energy 3.
        let normaliser = t.withUnsafeBufferPointer { loss.normaliser(targets: $0, outputSize: O) } + 3
        let context = LossContext(sequences: 2, scoredValues: steps * O, outputSize: O, normaliser: normaliser)
        func value(_ y: [Double]) -> (Double, [Double]) {
            var g = [Double](repeating: 0, count: y.count)
            let v = y.withUnsafeBufferPointer { y in t.withUnsafeBufferPointer { t in
                g.withUnsafeMutableBufferPointer { loss.evaluate(outputs: y, targets: t, gradient: $0, context: context) } } }
            return (v, g)
        }
        let (_, gradient) = value(y)
        for k in y.indices {
            let h = 1e-6, saved = y[k]
            y[k] = saved + h; let up = value(y).0
            y[k] = saved - h; let down = value(y).0
            y[k] = saved
            let numeric = (up - down) / (2 * h)
            #expect(abs(numeric - gradient[k]) <= 1e-8 * max(1, abs(numeric)), "Δ[\(k)]: \(gradient[k]) vs \(numeric)")
        }
    }

    @Test func epochOrderMatchesIndependentImplementation() throws {
        for o in try TrainingFixtures.load().epochOrders {
            #expect(EpochOrder.permutation(count: o.count, seed: o.seed, epoch: o.epoch) == o.order, "count \(o.count) seed \(o.seed) epoch \(o.epoch)")
        }
        let order = EpochOrder.permutation(count: 1000, seed: 9, epoch: 3)
        #expect(order.sorted() == Array(0..<1000))
        #expect(order == EpochOrder.permutation(count: 1000, seed: 9, epoch: 3))
        #expect(order != EpochOrder.permutation(count: 1000, seed: 9, epoch: 4))
    }
}
