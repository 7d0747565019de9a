/// The end of every driver's `train`, once the batch's loss and summed gradient are known:
/// the gradient norm, the refusals, clipping, then the optimizer step (`ModelDriver.train`,
/// which `BatchDriver.train` forwards to).
///
/// Refused, in this order, with the parameters and the optimizer (state included) left exactly
/// as they were: `noSteps` when the batch has no steps; `nonFiniteLoss`; `lossOverflow` when the
/// loss (summed in Double) does not fit in `Scalar`; `nonFiniteGradient`; and `optimizerOverflow`
/// when `Optimizer.step` refuses the update (it then changed nothing). A refusal after clipping
/// leaves the clipped gradient in `gradient` and says it was clipped.
/// - Parameters:
///   - loss: the batch's loss, or nil when training on upstream gradients.
///   - hasSteps: whether any sequence of the batch has length > 0.
///   - gradient: the batch's summed gradient, scaled in place if clipping applies.
///   - parameters: the parameters the optimizer updates.
@inlinable
func takeTrainingStep<O: Optimizer>(loss: Double?, hasSteps: Bool, gradient: UnsafeMutableBufferPointer<O.Scalar>,
                                    parameters: UnsafeMutableBufferPointer<O.Scalar>, optimizer: inout O,
                                    clipping: GradientClipping?) -> TrainingStepResult {
    let norm = GradientClipping.norm(UnsafeBufferPointer(gradient))
    func refused(_ reason: TrainingStepResult.Refusal, clipped: Bool = false) -> TrainingStepResult {
        TrainingStepResult(loss: loss, gradientNorm: norm, clipped: clipped, refusal: reason)
    }
    guard hasSteps else { return refused(.noSteps) }
    if let loss, !loss.isFinite { return refused(.nonFiniteLoss) }
    if let loss, !O.Scalar(loss).isFinite { return refused(.lossOverflow) }
    guard norm.isFinite else { return refused(.nonFiniteGradient) }
    let clipped = clipping?.apply(to: gradient, norm: norm) ?? false
    guard optimizer.step(parameters: parameters, gradients: UnsafeBufferPointer(gradient)) else {
        return refused(.optimizerOverflow, clipped: clipped)
    }
    return TrainingStepResult(loss: loss, gradientNorm: norm, clipped: clipped, refusal: nil)
}
