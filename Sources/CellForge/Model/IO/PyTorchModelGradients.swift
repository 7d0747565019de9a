extension PyTorchModelWeights {
    /// The gradient of a loss with respect to every tensor of the state_dict that `tensors`
    /// writes and `parameters(from:…)` reads, from `gradient`, its gradient with respect to the
    /// model's parameters (a `ModelParameters` used as a gradient, as `ModelDriver` returns it):
    /// what PyTorch's autograd puts in each parameter's `.grad`. Each recurrent layer's tensors
    /// are `PyTorchWeights.gradientTensors` (both biases carry ∂L/∂b, a GRU's n block of
    /// `bias_hh` ∂L/∂b_hn); the Linear's weight and bias gradients are the head's as they are.
    /// - Throws: `CellForgeError.invalidArgument` as `tensors` does (layers of more than one
    ///   cell or hidden size).
    public static func gradientTensors<S: CellScalar>(_ gradient: ModelParameters<S>, recurrent: String = "rnn.",
                                                      head: String = "head.", dtype: SafeTensors.DType? = nil) throws -> SafeTensors {
        var file = try tensors(gradient, recurrent: recurrent, head: head, dtype: dtype)
        for (l, p) in gradient.recurrentLayers.enumerated() {
            file.tensors.merge(PyTorchWeights.gradientTensors(p, prefix: recurrent, layer: l, dtype: dtype).tensors) { _, new in new }
        }
        return file
    }
}
