/// The element-wise (or, for softmax, per-step) functions an activation layer applies.
///
/// Every kind maps the features of one time step to as many outputs; only `prelu` has
/// parameters (one learned slope per feature).
public enum ActivationKind: Hashable, Sendable, CustomStringConvertible {
    /// y = z.
    case identity
    /// y = tanh(z).
    case tanh
    /// y = σ(z) = 1 / (1 + e^(−z)).
    case sigmoid
    /// y = max(z, 0); the derivative at 0 is 0 (as PyTorch).
    case relu
    /// y_i = e^(z_i) / Σ_j e^(z_j) over the features of one step.
    case softmax
    /// y = z for z > 0, slope·z otherwise.
    case leakyReLU(slope: Double)
    /// y = z for z > 0, alpha·(e^z − 1) otherwise.
    case elu(alpha: Double)
    /// y_i = z_i for z_i > 0, a_i·z_i otherwise, with one learned slope a_i per feature.
    case prelu

    /// The kinds without a constant: identity, tanh, sigmoid, relu, softmax, prelu.
    public static var plainKinds: [ActivationKind] { [.identity, .tanh, .sigmoid, .relu, .softmax, .prelu] }

    /// "tanh", "leaky_relu(0.01)", "elu(1.0)".
    public var description: String {
        switch self {
        case .identity: "identity"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .relu: "relu"
        case .softmax: "softmax"
        case let .leakyReLU(slope): "leaky_relu(\(slope))"
        case let .elu(alpha): "elu(\(alpha))"
        case .prelu: "prelu"
        }
    }
}
