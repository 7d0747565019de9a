import CellForge
import Foundation
import Testing

/// `Trainer`: determinism for any worker count, exact resume from a checkpoint file, early
/// stopping, the best model, learning, and refusals.
@Suite struct TrainerTests {
    /// LSTM(1→4) → Dense(4→1) on the run-time kernel, Double.
    static let architecture = try! ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [4], outputSize: 1)

    static func driver(workers: Int = 1, seed: UInt64 = 11) throws -> ModelDriver<Double> {
        let layers = try architecture.openLayers(recurrent: [KernelLayer(RuntimeKernel<Double>(kind: .lstm, hiddenSize: 4, inputSize: 1))])
        return try ModelDriver(parameters: .random(architecture, seed: seed), layers: layers, workerCount: workers, sequencesPerChunk: 2)
    }

    /// y[n] = tanh(2x[n]) − 0.5·x[n − 1]: a nonlinear system with one step of memory.
    static func signal(_ count: Int, seed: UInt64) -> (input: [Double], target: [Double]) {
        var rng = SplitMix64(seed: seed)
        let x = (0..<count).map { _ in 0.6 * rng.nextSigned(Double.self) }
        let y = x.indices.map { n in tanh(2 * x[n]) - 0.5 * (n > 0 ? x[n - 1] : 0) }
        return (x, y)
    }

    static func data() throws -> (SequenceDataset<Double>, SequenceDataset<Double>) {
        let (x, y) = signal(23 * 32 + 7, seed: 1), (vx, vy) = signal(2 * 64, seed: 2)
        return (try .segments(input: x, target: y, length: 32, burnIn: 4), try .segments(input: vx, target: vy, length: 64, burnIn: 4))
    }

    static func configuration(epochs: Int) throws -> TrainerConfiguration<Double> {
        var c = TrainerConfiguration<Double>()
        c.epochs = epochs
        c.batchSize = 5
        c.seed = 77
        c.learningRate = 0.02
        c.schedule = .reduceOnPlateau(factor: 0.5, patience: 0, threshold: 0.5, minimum: 0.001)
        c.clipping = try GradientClipping(maxNorm: 0.5)
        return c
    }

    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-trainer-\(UUID().uuidString)-\(name)")
    }

    @Test func segmentsCutTheSignalWithoutOverlap() throws {
        let (training, _) = try Self.data()
        #expect(training.count == 23)
        #expect(training.lengths.allSatisfy { $0 == 32 })
        let (x, y) = Self.signal(23 * 32 + 7, seed: 1)
        #expect(Array(training.inputs(of: 5)) == Array(x[160..<192]))
        #expect(Array(training.targets(of: 22)) == Array(y[704..<736]))
        #expect(training.scoredSteps == 23 * 28)
    }

    @Test func resultDoesNotDependOnWorkerCount() throws {
        let (training, validation) = try Self.data()
        var results: [ModelParameters<Double>] = []
        for workers in [1, 2, 3] {
            let trainer = try Trainer(driver: Self.driver(workers: workers), training: training, validation: validation,
                                      configuration: Self.configuration(epochs: 3))
            try trainer.run()
            results.append(trainer.driver.parameters)
        }
        #expect(results[0] == results[1] && results[0] == results[2])
    }

    @Test func resumedRunEqualsUninterruptedRunBitForBit() throws {
        let (training, validation) = try Self.data()
        let uninterrupted = try Trainer(driver: Self.driver(), training: training, validation: validation,
                                        configuration: Self.configuration(epochs: 5))
        #expect(try uninterrupted.run() == .completed)

        let url = Self.temporaryURL("resume.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var configuration = try Self.configuration(epochs: 5)
        configuration.checkpointURL = url
        configuration.checkpointEvery = 10
        let first = try Trainer(driver: Self.driver(), training: training, validation: validation, configuration: configuration)
        #expect(try first.run(shouldStop: { first.epochsCompleted == 2 }) == .interrupted)
        #expect(first.epochsCompleted == 2)

        // A fresh process would start from other parameters: resume replaces them.
        let second = try Trainer(driver: Self.driver(seed: 99), training: training, validation: validation, configuration: configuration)
        try second.resume(from: url)
        #expect(second.epochsCompleted == 2)
        #expect(try second.run() == .completed)
        #expect(second.driver.parameters == uninterrupted.driver.parameters)
        #expect(second.optimizer.state == uninterrupted.optimizer.state)
        #expect(second.best == uninterrupted.best)
        #expect(second.scheduler == uninterrupted.scheduler)
        #expect(second.history.map(\.metric) == uninterrupted.history.map(\.metric))
        #expect(second.history.map(\.learningRate) == uninterrupted.history.map(\.learningRate))
        #expect(Set(uninterrupted.history.map(\.learningRate)).count > 1, "the plateau schedule reduced the rate, so its state was resumed")
        // The last checkpoint (after the last epoch) holds the same.
        let saved = try TrainingCheckpoint<Double>.load(from: url)
        #expect(saved.model.parameters == uninterrupted.driver.parameters)
        #expect(saved.state.history.map(\.loss) == uninterrupted.history.map(\.loss))
    }

    @Test func trainingLowersTheValidationMetric() throws {
        let (training, validation) = try Self.data()
        var configuration = try Self.configuration(epochs: 12)
        configuration.schedule = .exponential(factor: 0.95)
        configuration.learningRate = 0.05
        let trainer = try Trainer(driver: Self.driver(), training: training, validation: validation, configuration: configuration)
        let before = try trainer.evaluate(validation)
        var reports = 0, epochEnds = 0, firstEndRemaining = 0.0, firstEndElapsed = 0.0, lastRemaining = -1.0
        try trainer.run(progress: { p in
            reports += 1
            guard p.epochEnded else { return }
            epochEnds += 1
            #expect(p.validation != nil && p.metricName == "ESR" && p.rate > 0)
            if p.epoch == 1 { (firstEndRemaining, firstEndElapsed) = (p.remaining, p.elapsed) }
            lastRemaining = p.remaining
        })
        #expect(reports == 12 * (trainer.stepsPerEpoch + 1) && epochEnds == 12)
        #expect(lastRemaining == 0 && firstEndRemaining > 0, "ETA \(firstEndRemaining) s after epoch 1, \(lastRemaining) s at the end")
        #expect(abs(firstEndRemaining / firstEndElapsed - 11) < 1, "after 1 of 12 epochs, about 11 epochs' time is left")
        #expect(trainer.best!.metric < before / 4, "validation ESR \(before) → \(trainer.best!.metric)")
        #expect(trainer.history.map(\.metric).min() == trainer.best!.metric)
    }

    /// A metric that never improves: patience 2 stops after epoch 3, the best model is epoch 1's.
    struct Constant: SequenceLoss {
        var name: String { "constant" }
        func evaluate(outputs: UnsafeBufferPointer<Double>, targets: UnsafeBufferPointer<Double>,
                      gradient: UnsafeMutableBufferPointer<Double>, context: LossContext) -> Double {
            gradient.update(repeating: 0)
            return 1
        }
    }

    @Test func earlyStoppingKeepsTheBestModel() throws {
        let (training, validation) = try Self.data()
        var configuration = try Self.configuration(epochs: 10)
        configuration.metric = Constant()
        configuration.patience = 2
        let trainer = try Trainer(driver: Self.driver(), training: training, validation: validation, configuration: configuration)
        #expect(try trainer.run() == .stoppedEarly)
        #expect(trainer.epochsCompleted == 3)
        #expect(trainer.best?.epoch == 1)
        let one = try Trainer(driver: Self.driver(), training: training, validation: validation, configuration: Self.configuration(epochs: 1))
        try one.run()
        #expect(trainer.best?.parameters == one.driver.parameters)
        #expect(try trainer.run() == .stoppedEarly, "a run out of patience does not train again")
        #expect(trainer.epochsCompleted == 3)
    }

    @Test func droppingTheLastPartialBatch() throws {
        let (training, validation) = try Self.data()
        var configuration = try Self.configuration(epochs: 1)
        configuration.dropsLastPartialBatch = true
        let trainer = try Trainer(driver: Self.driver(), training: training, validation: validation, configuration: configuration)
        #expect(trainer.stepsPerEpoch == 4, "23 sequences in batches of 5")
        var steps = 0
        try trainer.run(progress: { p in if !p.epochEnded { steps += 1 } })
        #expect(steps == 4)
        configuration.batchSize = 24
        #expect { try Trainer(driver: Self.driver(), training: training, configuration: configuration) } throws: {
            "\($0)".contains("fewer than one batch")
        }
    }

    @Test func resumeRefusesOtherSettingsAndChangesNothing() throws {
        let (training, validation) = try Self.data()
        let url = Self.temporaryURL("refuse.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var configuration = try Self.configuration(epochs: 1)
        configuration.checkpointURL = url
        try Trainer(driver: Self.driver(), training: training, validation: validation, configuration: configuration).run()

        configuration.batchSize = 6
        let other = try Trainer(driver: Self.driver(seed: 5), training: training, validation: validation, configuration: configuration)
        let before = other.driver.parameters
        #expect { try other.resume(from: url) } throws: { "\($0)".contains("batch size is 5, this run's is 6") }
        #expect(other.driver.parameters == before && other.epochsCompleted == 0)

        let (x, y) = Self.signal(23 * 32, seed: 8)
        let otherData = try Trainer(driver: Self.driver(), training: .segments(input: x, target: y, length: 32, burnIn: 4),
                                    validation: validation, configuration: Self.configuration(epochs: 1))
        #expect { try otherData.resume(from: url) } throws: { "\($0)".contains("training data") }
        #expect { try ModelCheckpoint<Double>.load(from: url) } throws: { "\($0)".contains("training checkpoint") }
    }

    @Test func badDataAndSettingsAreRefused() throws {
        let (training, validation) = try Self.data()
        #expect { try SequenceDataset<Double>.segments(input: [1, 2, 3], target: [1, 2], length: 2, burnIn: 0) } throws: {
            "\($0)".contains("3 steps (the input's)")
        }
        #expect { try SequenceDataset<Double>.segments(input: [1, 2, 3], target: [1, 2, 3], length: 2, burnIn: 2) } throws: {
            "\($0)".contains("burn-in")
        }
        #expect { try SequenceDataset<Double>.segments(input: [1, 2, 3], target: [1, 2, 3], length: 4, burnIn: 0) } throws: {
            "\($0)".contains("at least one segment")
        }
        #expect { try SequenceDataset<Double>.segments(input: [1, .nan, 3], target: [1, 2, 3], length: 3, burnIn: 0) } throws: {
            "\($0)".contains("input value 1")
        }
        #expect { try SequenceDataset<Double>(inputs: [[1, 2]], targets: [[1]], inputSize: 1, outputSize: 1) } throws: {
            "\($0)".contains("sequence 0 targets")
        }
        let wide = try SequenceDataset<Double>(inputs: [[1, 2, 3, 4]], targets: [[1, 2]], inputSize: 2, outputSize: 1)
        #expect { try Trainer(driver: Self.driver(), training: wide) } throws: { "\($0)".contains("training data sizes") }
        for change in [{ (c: inout TrainerConfiguration<Double>) in c.batchSize = 0 }, { $0.patience = 0 }, { $0.learningRate = -1 },
                       { $0.epochs = 0 }, { $0.schedule = .exponential(factor: 2) }] {
            var c = try Self.configuration(epochs: 1)
            change(&c)
            #expect(throws: CellForgeError.self) { try Trainer(driver: Self.driver(), training: training, validation: validation, configuration: c) }
        }
    }
}
