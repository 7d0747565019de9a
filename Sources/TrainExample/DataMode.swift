import CellForge
import CellForgeKernels
import Foundation

/// `cellforge-train --input DRY --target WET …`: trains a model on a signal pair with `Trainer`,
/// then writes the best model's exports, predictions and plot.
enum DataMode {
    /// Samples of silence a stream runs from a zero state to settle before its first real
    /// sample (NAM's `_get_initial_state`); exports and predictions start from that state.
    static let settlingSamples = 48_000

    /// Exit status 2 for bad flags or files (nothing written), 1 for failures after training started.
    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(DataOptions.usage)
            return 0
        }
        let options: DataOptions, job: Job
        do {
            options = try DataOptions(arguments)
            job = try Job(options)
        } catch {
            FileHandle.standardError.write(Data("cellforge-train: \(error)\n".utf8))
            return 2
        }
        do {
            try job.run()
            return 0
        } catch {
            FileHandle.standardError.write(Data("cellforge-train: \(error)\n".utf8))
            return 1
        }
    }

    /// Everything read and checked before training starts.
    struct Job {
        let options: DataOptions
        let signals: SignalPair<Float>
        let trainer: Trainer<Float>
        let formats: [(ExportFormat, URL)]

        init(_ o: DataOptions) throws {
            options = o
            do { signals = try SignalPair<Float>.load(input: o.input, target: o.target, channel: o.channel) } catch {
                throw UsageError("\(error)")
            }
            let rate = signals.sampleRate ?? o.sampleRate
            let validationSteps: Int
            if let seconds = o.validationSeconds {
                guard let rate else { throw UsageError("--validation-seconds needs a sample rate: give --sample-rate for .npy data") }
                validationSteps = Int((seconds * Double(rate)).rounded())
            } else if let rate, signals.steps >= 45 * rate {
                validationSteps = 9 * rate
            } else {
                validationSteps = signals.steps / 5
            }
            let (training, validation): (SequenceDataset<Float>, SequenceDataset<Float>)
            do {
                let parts = try signals.split(validationSteps: validationSteps)
                training = try parts.training.segments(length: o.segment, burnIn: o.burnIn)
                validation = try parts.validation.wholeSequence(burnIn: min(o.burnIn, validationSteps / 2))
            } catch {
                throw UsageError("\(error) (signals of \(signals.steps) steps, \(validationSteps) held out for validation, "
                    + "segments of \(o.segment) with burn-in \(o.burnIn))")
            }
            let architecture = try ModelArchitecture(kind: o.cell, inputSize: signals.inputSize,
                                                     hiddenSizes: Array(repeating: o.hidden, count: o.layers), outputSize: signals.outputSize)
            formats = try o.exports.map { url in
                let format = ExportFormat(url)!
                try format.check(architecture, url: url)
                return (format, url)
            }
            var c = TrainerConfiguration<Float>()
            c.epochs = o.epochs
            c.batchSize = o.batchSize
            c.dropsLastPartialBatch = o.dropLast
            c.seed = o.seed
            c.learningRate = o.learningRate
            c.schedule = if case let .cosine(_, minimum) = o.schedule { .cosine(period: o.epochs, minimum: minimum) } else { o.schedule }
            c.loss = switch o.loss {
            case "mse": MeanSquaredErrorLoss<Float>()
            case "esr-pre": try ErrorToSignalRatioLoss<Float>(preEmphasis: o.preEmphasis)
            case "segment-esr": try ErrorToSignalRatioLoss<Float>(scope: .sequence)
            default: try ErrorToSignalRatioLoss<Float>()
            }
            c.clipping = try o.clip.map { try GradientClipping(maxNorm: $0) }
            c.patience = o.patience
            c.checkpointURL = o.checkpointURL
            c.checkpointEvery = o.checkpointEvery
            let driver = try ModelDriver<Float>(parameters: .random(architecture, seed: o.seed), registry: GeneratedKernels.self,
                                                workerCount: o.workers, sequencesPerChunk: 8)
            do { trainer = try Trainer(driver: driver, training: training, validation: validation, configuration: c) } catch {
                throw UsageError("\(error)")
            }
            if let resume = o.resume {
                do { try trainer.resume(from: resume) } catch { throw UsageError("--resume \(resume.lastPathComponent): \(error)") }
            }
        }

        func run() throws {
            let o = options, t = trainer, architecture = t.driver.architecture
            let rate = signals.sampleRate.map { " at \($0) Hz" } ?? ""
            print("\(architecture): \(t.training.count) segments of \(o.segment) samples (burn-in \(o.burnIn)), "
                + "validation \(t.validation!.totalSteps) samples\(rate); batches of \(o.batchSize), Adam η \(o.learningRate), "
                + "\(o.schedule), loss \(t.configuration.loss.name), \(t.driver.workerCount) workers")
            for note in architecture.runTimeLayerNotes(in: GeneratedKernels.self, scalar: .float) { print("note: \(note)") }
            if t.epochsCompleted > 0 { print("resumed after epoch \(t.epochsCompleted) from \(o.resume!.path)") }
            let started = ContinuousClock.now, line = ProgressLine(quiet: o.quiet)
            let outcome = try t.run(shouldStop: {
                guard let limit = o.maxSeconds else { return false }
                return started.duration(to: .now) > .milliseconds(Int64(limit * 1000))
            }, progress: line.show)
            switch outcome {
            case .completed: break
            case .stoppedEarly: print("stopped early: no improvement in \(o.patience!) epochs")
            case .interrupted: print("stopped after \(t.epochsCompleted) epochs: --max-seconds \(o.maxSeconds!) reached")
            }
            guard let best = t.best else { return }
            print(String(format: "best validation %@ %.6f after epoch %d", t.configuration.metricName, best.metric, best.epoch))
            let stream = try ModelStream<Float>(parameters: best.parameters, registry: GeneratedKernels.self, maximumBlock: 4096)
            let state = settledState(stream)
            let metadata = ["trained_with": "CellForge cellforge-train", "training_metric": t.configuration.metricName,
                            "training_validation": "\(best.metric)", "training_epoch": "\(best.epoch)",
                            "training_input": o.input.lastPathComponent, "training_target": o.target.lastPathComponent]
            for (format, url) in formats {
                try format.write(best.parameters, initialState: state, sampleRate: signals.sampleRate ?? o.sampleRate, metadata: metadata, to: url)
                print("wrote \(url.path)")
            }
            if let url = o.predictions {
                try stream.setState(state)
                let y = process(stream, signals.input)
                if url.pathExtension.lowercased() == "wav" {
                    guard signals.outputSize == 1 else { throw UsageError("--predictions .wav needs one output channel; use .npy") }
                    try WAVFile.write(y, sampleRate: signals.sampleRate ?? o.sampleRate ?? 48_000, to: url)
                } else {
                    try NumPyArray.write(y, shape: signals.outputSize == 1 ? [signals.steps] : [signals.steps, signals.outputSize], to: url)
                }
                print("wrote \(url.path)")
            }
            if let url = o.plot {
                let svg = LossPlot.svg(t.history, metricName: t.configuration.metricName, lossName: t.configuration.loss.name,
                                       title: "\(architecture) on \(o.input.lastPathComponent) → \(o.target.lastPathComponent)")
                try AtomicFile.write(Data(svg.utf8), to: url)
                print("wrote \(url.path)")
            }
        }

        /// The state after `settlingSamples` zeros from a zero state.
        func settledState(_ stream: ModelStream<Float>) -> [Float] {
            stream.reset()
            _ = process(stream, [Float](repeating: 0, count: DataMode.settlingSamples * stream.inputSize))
            return stream.currentState
        }

        /// The stream's outputs for `input`, in blocks.
        func process(_ stream: ModelStream<Float>, _ input: [Float]) -> [Float] {
            let D = stream.inputSize, O = stream.outputSize, steps = input.count / D
            var output = [Float](repeating: 0, count: steps * O)
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    var n = 0
                    while n < steps {
                        let frames = min(stream.maximumBlock, steps - n)
                        stream.process(input: x.baseAddress! + n * D, output: y.baseAddress! + n * O, frames: frames)
                        n += frames
                    }
                }
            }
            return output
        }
    }
}
