/// Sequences with their targets, for `Trainer`: inputs (D scalars per step) and targets
/// (O scalars per step) of each sequence back to back, step-major, in one buffer each.
///
/// The first `burnIn` steps of every sequence warm the recurrent state and are left out of the
/// loss (their outputs get no gradient; gradients still flow through them from later steps),
/// as NAM's `mask_first` and the GuitarML trainers do. Every sequence has more steps than
/// `burnIn`, so each has at least one scored step.
public struct SequenceDataset<Scalar: CellScalar>: Sendable {
    /// D, scalars per input step.
    public let inputSize: Int
    /// O, scalars per target step.
    public let outputSize: Int
    /// Steps at the start of each sequence left out of the loss.
    public let burnIn: Int
    /// Every sequence's inputs, back to back.
    public let inputs: [Scalar]
    /// Every sequence's targets, back to back.
    public let targets: [Scalar]
    /// Steps per sequence.
    public let lengths: [Int]
    /// Prefix sums of `lengths` (count + 1 values): where each sequence's steps begin.
    public let stepOffsets: [Int]

    /// A dataset of the sequences given as flat arrays, L·D input and L·O target scalars each.
    /// - Throws: a one-line `CellForgeError` if there are no sequences, the two lists differ in
    ///   length, a sequence's counts do not agree with D and O, a sequence has no more steps than
    ///   `burnIn`, or a value is not finite.
    public init(inputs: [[Scalar]], targets: [[Scalar]], inputSize: Int, outputSize: Int, burnIn: Int = 0) throws {
        guard inputs.count == targets.count else {
            throw CellForgeError.shapeMismatch(name: "dataset targets", expected: "\(inputs.count) sequences (one per input sequence)",
                                               actual: "\(targets.count)")
        }
        for (s, size) in [("input size", inputSize), ("output size", outputSize)] where size < 1 {
            throw CellForgeError.invalidSize(name: "dataset \(s)", value: size, allowed: "at least 1")
        }
        var lengths: [Int] = []
        for n in inputs.indices {
            guard inputs[n].count % inputSize == 0 else {
                throw CellForgeError.shapeMismatch(name: "dataset sequence \(n) inputs", expected: "a multiple of D \(inputSize)",
                                                   actual: "\(inputs[n].count) values")
            }
            let length = inputs[n].count / inputSize
            guard targets[n].count == length * outputSize else {
                throw CellForgeError.shapeMismatch(name: "dataset sequence \(n) targets",
                                                   expected: "\(length * outputSize) values (O \(outputSize) × \(length) steps)",
                                                   actual: "\(targets[n].count)")
            }
            lengths.append(length)
        }
        try self.init(inputs: inputs.flatMap { $0 }, targets: targets.flatMap { $0 }, lengths: lengths,
                      inputSize: inputSize, outputSize: outputSize, burnIn: burnIn)
    }

    /// The non-overlapping segments of `length` steps that one long input signal and its target
    /// (T·D and T·O scalars) cut into, from the start; a last partial segment is left out.
    /// - Throws: a one-line `CellForgeError` if the signals' step counts differ, `length` is not
    ///   more than `burnIn`, the signal is shorter than one segment, or a value is not finite.
    public static func segments(input: [Scalar], target: [Scalar], inputSize: Int = 1, outputSize: Int = 1,
                                length: Int, burnIn: Int) throws -> SequenceDataset {
        for (s, size) in [("input size", inputSize), ("output size", outputSize)] where size < 1 {
            throw CellForgeError.invalidSize(name: "dataset \(s)", value: size, allowed: "at least 1")
        }
        guard burnIn >= 0, length > burnIn else {
            throw CellForgeError.invalidSize(name: "segment length", value: length, allowed: "more than the burn-in of \(burnIn) steps")
        }
        guard input.count % inputSize == 0, target.count % outputSize == 0, input.count / inputSize == target.count / outputSize else {
            throw CellForgeError.shapeMismatch(name: "target signal", expected: "\(input.count / inputSize) steps (the input's)",
                                               actual: "\(target.count / outputSize) steps")
        }
        let steps = input.count / inputSize, count = steps / length
        guard count >= 1 else {
            throw CellForgeError.invalidSize(name: "signal length", value: steps, allowed: "at least one segment of \(length) steps")
        }
        let used = count * length
        return try SequenceDataset(inputs: Array(input[..<(used * inputSize)]), targets: Array(target[..<(used * outputSize)]),
                                   lengths: Array(repeating: length, count: count), inputSize: inputSize, outputSize: outputSize,
                                   burnIn: burnIn)
    }

    /// The designated initializer: flat buffers and the length of each sequence.
    init(inputs: [Scalar], targets: [Scalar], lengths: [Int], inputSize: Int, outputSize: Int, burnIn: Int) throws {
        guard !lengths.isEmpty else { throw CellForgeError.invalidSize(name: "dataset sequences", value: 0, allowed: "at least 1") }
        guard burnIn >= 0 else { throw CellForgeError.invalidSize(name: "burn-in", value: burnIn, allowed: "at least 0") }
        if let n = lengths.firstIndex(where: { $0 <= burnIn }) {
            throw CellForgeError.invalidSize(name: "length of dataset sequence \(n)", value: lengths[n],
                                             allowed: "more than the burn-in of \(burnIn) steps")
        }
        if let k = inputs.firstIndex(where: { !$0.isFinite }) {
            throw CellForgeError.nonFinite(name: "dataset input value \(k) (step \(k / inputSize))")
        }
        if let k = targets.firstIndex(where: { !$0.isFinite }) {
            throw CellForgeError.nonFinite(name: "dataset target value \(k) (step \(k / outputSize))")
        }
        var offsets = [0]
        for length in lengths { offsets.append(offsets[offsets.count - 1] + length) }
        self.inputs = inputs
        self.targets = targets
        self.lengths = lengths
        self.stepOffsets = offsets
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.burnIn = burnIn
    }

    /// Number of sequences.
    public var count: Int { lengths.count }

    /// Steps in all sequences.
    public var totalSteps: Int { stepOffsets[count] }

    /// Scored steps (past the burn-in) in all sequences.
    public var scoredSteps: Int { totalSteps - count * burnIn }

    /// Sequence n's inputs.
    public func inputs(of n: Int) -> ArraySlice<Scalar> { inputs[(stepOffsets[n] * inputSize)..<(stepOffsets[n + 1] * inputSize)] }

    /// Sequence n's targets.
    public func targets(of n: Int) -> ArraySlice<Scalar> { targets[(stepOffsets[n] * outputSize)..<(stepOffsets[n + 1] * outputSize)] }
}
