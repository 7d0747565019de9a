/// N independent sequences for `ModelDriver` (and `BatchDriver`), in one contiguous buffer.
///
/// Layout, sequence-major: sequence n (0-based) has `lengths[n]` ≥ 0 steps (lengths
/// may differ, and may be 0), and its inputs x_1…x_L, D scalars per step, start at
/// offset D·`stepOffsets[n]` of `inputs`, where `stepOffsets[n]` = lengths[0] + … +
/// lengths[n − 1]. Per-step data with H scalars per step (outputs, targets, upstream
/// gradients) is laid out the same way, sequence n at offset H·`stepOffsets[n]`.
/// States are N consecutive blocks of `stateSize` scalars ([h, c] for LSTM).
///
/// The offsets are computed once here, so a batch reused across epochs costs no
/// per-call bookkeeping in the driver.
public struct SequenceBatch<Scalar: CellScalar>: Sendable {
    /// Every sequence's inputs, back to back.
    public let inputs: [Scalar]
    /// Steps per sequence.
    public let lengths: [Int]
    /// D, scalars per input step.
    public let inputSize: Int
    /// Prefix sums of `lengths` (N + 1 values): where each sequence's steps begin.
    public let stepOffsets: [Int]
    /// The longest sequence's length.
    public let maxLength: Int

    /// A batch from the contiguous inputs and the length of each sequence.
    /// - Throws: `CellForgeError` if the batch is empty, a length is negative, D is out
    ///   of range, or `inputs` does not hold exactly D·Σ lengths scalars.
    public init(inputs: [Scalar], lengths: [Int], inputSize: Int) throws {
        guard !lengths.isEmpty else { throw CellForgeError.invalidSize(name: "batch size", value: 0, allowed: "at least 1") }
        guard (1...CellParameters<Scalar>.maximumSize).contains(inputSize) else {
            throw CellForgeError.invalidSize(name: "input size", value: inputSize,
                                             allowed: "between 1 and \(CellParameters<Scalar>.maximumSize)")
        }
        var offsets = [0]
        offsets.reserveCapacity(lengths.count + 1)
        for (n, length) in lengths.enumerated() {
            guard length >= 0 else {
                throw CellForgeError.invalidSize(name: "length of sequence \(n)", value: length, allowed: "at least 0")
            }
            let (sum, overflow) = offsets[n].addingReportingOverflow(length)
            guard !overflow else {
                throw CellForgeError.invalidArgument("sequence lengths: their sum overflows Int at sequence \(n) (length \(length))")
            }
            offsets.append(sum)
        }
        let steps = offsets[lengths.count]
        let (expected, overflow) = steps.multipliedReportingOverflow(by: inputSize)
        guard !overflow, inputs.count == expected else {
            throw CellForgeError.shapeMismatch(
                name: "inputs", expected: (overflow ? "more than \(Int.max)" : "\(expected)") + " values (D \(inputSize) × \(steps) steps)",
                actual: "\(inputs.count)")
        }
        self.inputs = inputs
        self.lengths = lengths
        self.inputSize = inputSize
        self.stepOffsets = offsets
        self.maxLength = lengths.max()!
    }

    /// A batch from one flat input array per sequence (L·D scalars each).
    /// - Throws: `CellForgeError` if the batch is empty or a sequence's count is not a multiple of D.
    public init(sequences: [[Scalar]], inputSize: Int) throws {
        guard inputSize >= 1 else {
            throw CellForgeError.invalidSize(name: "input size", value: inputSize,
                                             allowed: "between 1 and \(CellParameters<Scalar>.maximumSize)")
        }
        for (n, s) in sequences.enumerated() where s.count % inputSize != 0 {
            throw CellForgeError.shapeMismatch(name: "inputs of sequence \(n)", expected: "a multiple of D = \(inputSize) values",
                                               actual: "\(s.count)")
        }
        try self.init(inputs: sequences.flatMap { $0 }, lengths: sequences.map { $0.count / inputSize }, inputSize: inputSize)
    }

    /// N, the number of sequences.
    public var count: Int { lengths.count }
    /// Σ lengths, the number of sequence-steps.
    public var totalSteps: Int { stepOffsets[lengths.count] }
}
