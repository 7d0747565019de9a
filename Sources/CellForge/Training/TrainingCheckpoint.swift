import Foundation

/// Everything a `Trainer` needs to continue a run exactly: the parameters and Adam's state (a
/// `ModelCheckpoint`), the best model so far, and the trainer's state.
public struct TrainingCheckpoint<Scalar: CellScalar>: Equatable, Sendable {
    /// The parameters and the optimizer's state.
    public let model: ModelCheckpoint<Scalar>
    /// The best model so far, if any epoch has finished.
    public let best: BestModel<Scalar>?
    /// History, schedule state, time and settings.
    public let state: TrainerState

    /// A checkpoint of these parts.
    /// - Throws: `CellForgeError` if the best model's architecture is not the model's, or its
    ///   optimizer is not Adam.
    public init(model: ModelCheckpoint<Scalar>, best: BestModel<Scalar>?, state: TrainerState) throws {
        if let best, best.parameters.architecture != model.parameters.architecture {
            throw CellForgeError.shapeMismatch(name: "best model architecture", expected: "\(model.parameters.architecture)",
                                               actual: "\(best.parameters.architecture)")
        }
        guard case .adam = model.optimizer else {
            throw CellForgeError.invalidArgument("training checkpoint optimizer is \(model.optimizer.name), expected adam")
        }
        self.model = model
        self.best = best
        self.state = state
    }

    /// Saves the checkpoint atomically: a failed save leaves the previous file at `url` intact.
    public func save(to url: URL) throws { try TrainingCheckpointFormat.file(self).write(to: url) }

    /// Reads and validates the training checkpoint at `url`, in full before anything is returned.
    /// - Throws: a one-line `CellForgeError` naming the entry or tensor at fault.
    public static func load(from url: URL, as _: Scalar.Type = Scalar.self) throws -> TrainingCheckpoint {
        try TrainingCheckpointFormat.checkpoint(SafeTensors(contentsOf: url))
    }
}
