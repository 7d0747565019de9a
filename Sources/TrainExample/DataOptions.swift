import CellForge
import Foundation

/// The flags of `cellforge-train`'s data mode, parsed and checked before anything is read or written.
struct DataOptions {
    var input: URL!, target: URL!
    var channel = 0
    var cell = CellKind.lstm, layers = 1, hidden = 16
    var epochs = 100, batchSize = 16, segment = 8192, burnIn = 1024
    var dropLast = false
    var validationSeconds: Double?
    var learningRate = 0.008
    var schedule = LearningRateSchedule.exponential(factor: 0.995)
    var loss = "esr", preEmphasis = 0.85
    var clip: Double?
    var patience: Int?
    var seed: UInt64 = 0
    var workers = ProcessInfo.processInfo.activeProcessorCount
    var exports: [URL] = []
    var checkpoint: URL?, noCheckpoint = false, checkpointEvery = 1
    var resume: URL?
    var predictions: URL?
    var plot: URL?
    var maxSeconds: Double?
    var sampleRate: Int?
    var quiet = false

    static let usage = """
        usage: cellforge-train --input DRY --target WET [options]

        Trains a recurrent model to turn the input signal into the target (an amp capture: the
        DI recording and the amp's), validates on the end of the signals, and exports the model.
        DRY and WET are WAV files (16/24/32-bit PCM or 32-bit float) or NumPy .npy arrays
        (float32/float64, shape (T,) or (T, features)).

          --model CELL:LxH        lstm, gru or rnn; L layers of H units, then Dense(H→O) (default lstm:1x16)
          --epochs N              at most N epochs (default 100)
          --max-seconds S         stop after the epoch that passes S seconds of training
          --segment N             training segment length in samples (default 8192)
          --burn-in N             first samples of each segment left out of the loss (default 1024)
          --batch N               segments per step (default 16)
          --drop-last             leave out each epoch's last batch if smaller (NAM's trainer does)
          --validation-seconds S  held-out end of the signals (default 9 s, or the last 20% of
                                  signals shorter than 45 s; arrays: 20%)
          --loss L                esr (default: Σ(y−t)²/Σt² over each batch), esr-pre (the same after
                                  pre-emphasis), segment-esr (each segment's ESR, averaged: NAM's), mse
          --pre-emphasis A        esr-pre's coefficient (default 0.85)
          --learning-rate R       Adam's rate (default 0.008)
          --schedule S            constant, exp:GAMMA (default exp:0.995), step:EVERY:GAMMA,
                                  cosine[:MIN], plateau[:PATIENCE[:FACTOR]]
          --clip X                clip the gradient's global norm at X
          --patience N            stop when validation has not improved for N epochs
          --seed N                parameter and shuffling seed (default 0)
          --workers N             threads (default: the active cores; the result does not depend on it)
          --channel N             WAV channel to read, from 0 (default 0)
          --sample-rate HZ        sample rate recorded in exports of .npy-trained models
          --export FILE           .nam (NAM), .json (RTNeural), .safetensors (PyTorch state_dict:
                                  rnn. + head.), .cfmodel (CellForge model file); repeatable
          --checkpoint FILE       checkpoint path (default: FIRST-EXPORT.checkpoint)
          --checkpoint-every N    epochs between checkpoints (default 1; always after the last)
          --no-checkpoint         write no checkpoint
          --resume FILE           continue the run saved in FILE (same data and settings)
          --predictions FILE      the model's output over the whole input (.wav float or .npy)
          --plot FILE             training and validation curves as SVG
          --quiet                 epoch lines only, no progress bar
          --help                  show this help

        The exported model is the one with the best validation metric. Exit status: 0 done,
        1 failure while training or writing, 2 bad flags or files (nothing written).
        """

    /// Parses `arguments` (the flags after the program name).
    /// - Throws: `UsageError` naming the flag at fault.
    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let text = rest.popFirst(), !text.hasPrefix("--") else { throw UsageError("\(flag) needs a value") }
            return text
        }
        func integer(_ flag: String, minimum: Int = 1) throws -> Int {
            let text = try value(flag)
            guard let n = Int(text), n >= minimum else { throw UsageError("\(flag) needs an integer ≥ \(minimum), found '\(text)'") }
            return n
        }
        func number(_ flag: String, positive: Bool = true) throws -> Double {
            let text = try value(flag)
            guard let x = Double(text), x.isFinite, !positive || x > 0 else {
                throw UsageError("\(flag) needs a \(positive ? "positive " : "")number, found '\(text)'")
            }
            return x
        }
        func url(_ flag: String) throws -> URL { URL(fileURLWithPath: try value(flag)) }
        while let flag = rest.popFirst() {
            switch flag {
            case "--input": input = try url(flag)
            case "--target": target = try url(flag)
            case "--channel": channel = try integer(flag, minimum: 0)
            case "--model": (cell, layers, hidden) = try Self.model(try value(flag))
            case "--epochs": epochs = try integer(flag)
            case "--max-seconds": maxSeconds = try number(flag)
            case "--segment": segment = try integer(flag, minimum: 2)
            case "--burn-in": burnIn = try integer(flag, minimum: 0)
            case "--batch": batchSize = try integer(flag)
            case "--drop-last": dropLast = true
            case "--validation-seconds": validationSeconds = try number(flag)
            case "--loss":
                loss = try value(flag)
                guard ["esr", "esr-pre", "segment-esr", "mse"].contains(loss) else {
                    throw UsageError("--loss needs esr, esr-pre, segment-esr or mse, found '\(loss)'")
                }
            case "--pre-emphasis": preEmphasis = try number(flag, positive: false)
            case "--learning-rate": learningRate = try number(flag)
            case "--schedule": schedule = try Self.schedule(try value(flag))
            case "--clip": clip = try number(flag)
            case "--patience": patience = try integer(flag)
            case "--seed":
                let text = try value(flag)
                guard let s = UInt64(text) else { throw UsageError("--seed needs an integer from 0 to \(UInt64.max), found '\(text)'") }
                seed = s
            case "--workers": workers = try integer(flag)
            case "--sample-rate": sampleRate = try integer(flag)
            case "--export": exports.append(try url(flag))
            case "--checkpoint": checkpoint = try url(flag)
            case "--checkpoint-every": checkpointEvery = try integer(flag)
            case "--no-checkpoint": noCheckpoint = true
            case "--resume": resume = try url(flag)
            case "--predictions": predictions = try url(flag)
            case "--plot": plot = try url(flag)
            case "--quiet": quiet = true
            default: throw UsageError((flag.hasPrefix("-") ? "unknown option '\(flag)'" : "unexpected argument '\(flag)'") + "; see --help")
            }
        }
        guard input != nil, target != nil else { throw UsageError("data mode needs both --input and --target") }
        guard burnIn < segment else { throw UsageError("--burn-in \(burnIn) must be less than --segment \(segment)") }
        guard workers <= ModelDriver<Float>.maximumWorkerCount else {
            throw UsageError("--workers \(workers) is more than the maximum \(ModelDriver<Float>.maximumWorkerCount)")
        }
        if noCheckpoint, checkpoint != nil { throw UsageError("--checkpoint and --no-checkpoint contradict each other") }
        for url in exports where ExportFormat(url) == nil {
            throw UsageError("--export \(url.lastPathComponent): expected a .nam, .json, .safetensors or .cfmodel file")
        }
        if let p = predictions, !["wav", "npy"].contains(p.pathExtension.lowercased()) {
            throw UsageError("--predictions \(p.lastPathComponent): expected a .wav or .npy file")
        }
        if let p = plot, p.pathExtension.lowercased() != "svg" { throw UsageError("--plot \(p.lastPathComponent): expected an .svg file") }
        let outputs = exports + [checkpointURL, predictions, plot].compactMap { $0 }
        if let twice = Dictionary(grouping: outputs, by: \.standardizedFileURL.path).first(where: { $0.value.count > 1 }) {
            throw UsageError("\(twice.key) is named as two outputs")
        }
        for url in outputs {
            if [input, target].contains(where: { $0.standardizedFileURL == url.standardizedFileURL }) {
                throw UsageError("\(url.lastPathComponent) is an input and an output")
            }
            var isFolder: ObjCBool = false
            let folder = url.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw UsageError("\(url.path): folder \(folder) does not exist")
            }
        }
    }

    /// Where checkpoints go: `--checkpoint`, else the resumed file, else beside the first export.
    var checkpointURL: URL? {
        if noCheckpoint { return nil }
        return checkpoint ?? resume ?? exports.first.map { $0.appendingPathExtension("checkpoint") }
    }

    /// "lstm:2x8" → (.lstm, 2, 8).
    static func model(_ text: String) throws -> (CellKind, Int, Int) {
        let parts = text.split(separator: ":"), sizes = parts.count == 2 ? parts[1].split(separator: "x") : []
        guard parts.count == 2, let cell = CellKind(rawValue: String(parts[0])), cell != .rnnReLU, sizes.count == 2,
              let layers = Int(sizes[0]), let hidden = Int(sizes[1]), (1...16).contains(layers),
              (1...CellParameters<Float>.maximumSize).contains(hidden) else {
            throw UsageError("--model needs CELL:LAYERSxHIDDEN with CELL lstm, gru or rnn, 1–16 layers and 1–"
                + "\(CellParameters<Float>.maximumSize) units (e.g. lstm:1x16), found '\(text)'")
        }
        return (cell, layers, hidden)
    }

    /// "exp:0.995", "step:10:0.5", "cosine:1e-4", "plateau:5:0.5", "constant".
    static func schedule(_ text: String) throws -> LearningRateSchedule {
        let f = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let numbers = f.dropFirst().map(Double.init)
        let bad = UsageError("--schedule needs constant, exp:GAMMA, step:EVERY:GAMMA, cosine[:MIN] or plateau[:PATIENCE[:FACTOR]], found '\(text)'")
        guard numbers.allSatisfy({ $0 != nil }) else { throw bad }
        let n = numbers.map { $0! }
        let schedule: LearningRateSchedule
        switch (f[0], n.count) {
        case ("constant", 0): schedule = .constant
        case ("exp", 1): schedule = .exponential(factor: n[0])
        case ("step", 2) where n[0] == n[0].rounded() && n[0] >= 1 && n[0] < 1e9: schedule = .step(every: Int(n[0]), factor: n[1])
        case ("cosine", 0), ("cosine", 1): schedule = .cosine(period: 0, minimum: n.first ?? 0)
        case ("plateau", 0...2) where n.isEmpty || (n[0] == n[0].rounded() && n[0] >= 0 && n[0] < 1e9):
            schedule = .reduceOnPlateau(factor: n.count > 1 ? n[1] : 0.5, patience: n.isEmpty ? 10 : Int(n[0]), threshold: 1e-4, minimum: 0)
        default: throw bad
        }
        if case .cosine = schedule { return schedule } // its period is the epoch count, set once known
        do { try schedule.validate() } catch { throw UsageError("--schedule '\(text)': \(error)") }
        return schedule
    }
}

/// A bad flag or file: printed as one line, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
