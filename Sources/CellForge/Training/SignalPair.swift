import Foundation

/// An input signal and the target a model should turn it into, step for step: a dry (DI) and a
/// wet (amp) recording, or any two arrays. Read from WAV files (one channel each) or NumPy
/// `.npy` files (shape (T,) or (T, D) and (T,) or (T, O)).
public struct SignalPair<Scalar: CellScalar>: Sendable {
    /// The input, T·D scalars step-major.
    public let input: [Scalar]
    /// The target, T·O scalars step-major.
    public let target: [Scalar]
    /// D and O.
    public let inputSize: Int, outputSize: Int
    /// The WAV files' sample rate in Hz, nil for arrays.
    public let sampleRate: Int?

    /// A pair of signals of equal step count.
    /// - Throws: a one-line `CellForgeError` if a size is below 1, a count is not a multiple of
    ///   its size, or the step counts differ.
    public init(input: [Scalar], target: [Scalar], inputSize: Int = 1, outputSize: Int = 1, sampleRate: Int? = nil) throws {
        for (name, size) in [("input size", inputSize), ("output size", outputSize)] where size < 1 {
            throw CellForgeError.invalidSize(name: name, value: size, allowed: "at least 1")
        }
        for (name, count, size) in [("input", input.count, inputSize), ("target", target.count, outputSize)] where count % size != 0 {
            throw CellForgeError.shapeMismatch(name: "\(name) signal", expected: "a multiple of \(size) values", actual: "\(count)")
        }
        guard input.count / inputSize == target.count / outputSize else {
            throw CellForgeError.shapeMismatch(name: "target signal length", expected: "\(input.count / inputSize) steps (the input's)",
                                               actual: "\(target.count / outputSize) steps")
        }
        if let rate = sampleRate, rate < 1 { throw CellForgeError.invalidSize(name: "sample rate", value: rate, allowed: "at least 1 Hz") }
        self.input = input
        self.target = target
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.sampleRate = sampleRate
    }

    /// The signals in two files, each a WAV file (`.wav`: channel `channel` of each) or a NumPy
    /// array (`.npy`), told apart by extension.
    /// - Throws: a one-line `CellForgeError` naming the file: unreadable or invalid files,
    ///   a channel the file lacks, WAV files of different sample rates, signals of different
    ///   lengths, a WAV paired with an array, an array of more than two dimensions.
    public static func load(input: URL, target: URL, channel: Int = 0) throws -> SignalPair {
        let kinds = try [input, target].map { url -> Bool in
            switch url.pathExtension.lowercased() {
            case "wav", "wave": return true
            case "npy": return false
            default:
                throw CellForgeError.invalidArgument("\(url.lastPathComponent): expected a .wav or .npy file, found extension "
                    + "\"\(url.pathExtension)\"")
            }
        }
        guard kinds[0] == kinds[1] else {
            throw CellForgeError.invalidArgument("input and target must both be WAV files or both .npy arrays, found "
                + "\(input.lastPathComponent) and \(target.lastPathComponent)")
        }
        if kinds[0] {
            let (x, y) = (try WAVFile.load(contentsOf: input), try WAVFile.load(contentsOf: target))
            guard x.sampleRate == y.sampleRate else {
                throw CellForgeError.invalidArgument("sample rates differ: \(input.lastPathComponent) is \(x.sampleRate) Hz, "
                    + "\(target.lastPathComponent) is \(y.sampleRate) Hz")
            }
            guard x.frameCount == y.frameCount else {
                throw CellForgeError.invalidArgument("lengths differ: \(input.lastPathComponent) has \(x.frameCount) samples, "
                    + "\(target.lastPathComponent) has \(y.frameCount)")
            }
            return try SignalPair(input: x.channel(channel, as: Scalar.self), target: y.channel(channel, as: Scalar.self),
                                  sampleRate: x.sampleRate)
        }
        func array(_ url: URL) throws -> (values: [Scalar], steps: Int, size: Int) {
            let a = try NumPyArray.load(contentsOf: url)
            switch a.shape.count {
            case 1: return (a.values(as: Scalar.self), a.shape[0], 1)
            case 2: return (a.values(as: Scalar.self), a.shape[0], a.shape[1])
            default:
                throw CellForgeError.invalidArgument("\(url.lastPathComponent): expected shape (T,) or (T, features), found "
                    + "\(a.shape.count) dimensions \(a.shape)")
            }
        }
        let (x, y) = (try array(input), try array(target))
        guard x.steps == y.steps else {
            throw CellForgeError.invalidArgument("lengths differ: \(input.lastPathComponent) has \(x.steps) steps, "
                + "\(target.lastPathComponent) has \(y.steps)")
        }
        guard x.size >= 1, y.size >= 1 else {
            throw CellForgeError.invalidArgument("arrays need at least one feature per step, found \(x.size) and \(y.size)")
        }
        return try SignalPair(input: x.values, target: y.values, inputSize: x.size, outputSize: y.size)
    }

    /// Steps in the signals.
    public var steps: Int { input.count / inputSize }

    /// The first `steps − validationSteps` steps and the last `validationSteps`.
    /// - Throws: `CellForgeError` unless 0 < `validationSteps` < `steps`.
    public func split(validationSteps: Int) throws -> (training: SignalPair, validation: SignalPair) {
        guard validationSteps > 0, validationSteps < steps else {
            throw CellForgeError.invalidSize(name: "validation steps", value: validationSteps, allowed: "between 1 and \(steps - 1) (the signal has \(steps))")
        }
        let cut = steps - validationSteps
        func part(_ range: Range<Int>) throws -> SignalPair {
            try SignalPair(input: Array(input[(range.lowerBound * inputSize)..<(range.upperBound * inputSize)]),
                           target: Array(target[(range.lowerBound * outputSize)..<(range.upperBound * outputSize)]),
                           inputSize: inputSize, outputSize: outputSize, sampleRate: sampleRate)
        }
        return (try part(0..<cut), try part(cut..<steps))
    }

    /// The signals cut into segments (`SequenceDataset.segments`).
    public func segments(length: Int, burnIn: Int) throws -> SequenceDataset<Scalar> {
        try .segments(input: input, target: target, inputSize: inputSize, outputSize: outputSize, length: length, burnIn: burnIn)
    }

    /// The signals as one sequence.
    public func wholeSequence(burnIn: Int) throws -> SequenceDataset<Scalar> {
        try .segments(input: input, target: target, inputSize: inputSize, outputSize: outputSize, length: steps, burnIn: burnIn)
    }
}
