/// Optional buffers a model training step reads or fills besides the parameters: for
/// truncated BPTT over chunks of a stream (final-state gradients in, initial-state gradients
/// and final states out) and for callers that want the outputs of the same forward pass.
///
/// States and their gradients are `ModelDriver.model.stateSize` scalars per sequence (each
/// layer's [h, c], layer-major); outputs are O per step, laid out like the targets; input
/// gradients D per step, laid out like the inputs. The caller owns the memory, so a step
/// allocates nothing for them.
public struct ModelStepBuffers<Scalar: CellScalar> {
    /// ∂L/∂(final state) from the next chunk of the stream, or nil for zero.
    public var finalStateGradients: UnsafeBufferPointer<Scalar>?
    /// Receives ∂L/∂(initial state), to hand to the previous chunk, or nil.
    public var initialStateGradients: UnsafeMutableBufferPointer<Scalar>?
    /// Receives every sequence's final state, or nil.
    public var finalStates: UnsafeMutableBufferPointer<Scalar>?
    /// Receives the model's outputs y_t, or nil.
    public var outputs: UnsafeMutableBufferPointer<Scalar>?
    /// Receives δx_t, ∂L/∂ of every input, or nil.
    public var inputGradients: UnsafeMutableBufferPointer<Scalar>?

    /// Buffers from their parts; every one is optional.
    public init(finalStateGradients: UnsafeBufferPointer<Scalar>? = nil,
                initialStateGradients: UnsafeMutableBufferPointer<Scalar>? = nil,
                finalStates: UnsafeMutableBufferPointer<Scalar>? = nil,
                outputs: UnsafeMutableBufferPointer<Scalar>? = nil,
                inputGradients: UnsafeMutableBufferPointer<Scalar>? = nil) {
        self.finalStateGradients = finalStateGradients
        self.initialStateGradients = initialStateGradients
        self.finalStates = finalStates
        self.outputs = outputs
        self.inputGradients = inputGradients
    }
}
