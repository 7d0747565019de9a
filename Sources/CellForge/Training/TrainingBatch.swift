/// Some sequences of a `SequenceDataset`, gathered for one driver call, with the loss that scores
/// them as the driver's `ModelLoss`.
struct TrainingBatch<Scalar: CellScalar> {
    /// The sequences' inputs.
    let sequences: SequenceBatch<Scalar>
    /// The supervision the driver trains on.
    let loss: ScoredLoss<Scalar>

    /// Sequences `indices` of `dataset`, in that order, scored by `loss`.
    init(_ dataset: SequenceDataset<Scalar>, indices: some Collection<Int>, loss: any SequenceLoss<Scalar>) throws {
        let (D, O) = (dataset.inputSize, dataset.outputSize)
        var inputs: [Scalar] = [], targets: [Scalar] = [], lengths: [Int] = []
        inputs.reserveCapacity(indices.reduce(0) { $0 + dataset.lengths[$1] } * D)
        targets.reserveCapacity(indices.reduce(0) { $0 + dataset.lengths[$1] } * O)
        for n in indices {
            inputs += dataset.inputs(of: n)
            targets += dataset.targets(of: n)
            lengths.append(dataset.lengths[n])
        }
        sequences = try SequenceBatch(inputs: inputs, lengths: lengths, inputSize: D)
        let scored = (sequences.totalSteps - lengths.count * dataset.burnIn) * O
        let offsets = sequences.stepOffsets, skip = dataset.burnIn * O
        let normaliser = targets.withUnsafeBufferPointer { t in
            lengths.indices.reduce(0.0) { sum, m in
                sum + loss.normaliser(targets: UnsafeBufferPointer(rebasing: t[(offsets[m] * O + skip)..<(offsets[m + 1] * O)]), outputSize: O)
            }
        }
        self.loss = ScoredLoss(loss: loss, targets: targets, stepOffsets: offsets, burnIn: dataset.burnIn,
                               context: LossContext(sequences: lengths.count, scoredValues: scored, outputSize: O, normaliser: normaliser))
    }
}

/// A `SequenceLoss` applied to the scored steps of each sequence of one batch: the burn-in's
/// outputs get Δ = 0.
struct ScoredLoss<Scalar: CellScalar>: ModelLoss {
    let loss: any SequenceLoss<Scalar>
    /// The batch's targets, laid out like its outputs.
    let targets: [Scalar]
    let stepOffsets: [Int]
    let burnIn: Int
    let context: LossContext

    func evaluate(sequence m: Int, outputs: UnsafeBufferPointer<Scalar>, gradient: UnsafeMutableBufferPointer<Scalar>) -> Double {
        let skip = burnIn * context.outputSize
        let start = stepOffsets[m] * context.outputSize
        gradient.baseAddress!.update(repeating: 0, count: skip)
        return targets.withUnsafeBufferPointer { t in
            loss.evaluate(outputs: UnsafeBufferPointer(rebasing: outputs[skip...]),
                          targets: UnsafeBufferPointer(rebasing: t[(start + skip)..<(start + outputs.count)]),
                          gradient: UnsafeMutableBufferPointer(rebasing: gradient[skip...]), context: context)
        }
    }
}
