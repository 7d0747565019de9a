/// An optimizer's state as a checkpoint holds it: one value per parameter, in the
/// canonical `CellParameters` layout, so it does not depend on a kernel's padding.
public enum OptimizerCheckpoint<Scalar: CellScalar>: Equatable, Sendable {
    /// A stateless optimizer (`SGD`).
    case none
    /// `MomentumSGD`'s velocity v (zeros before the first step).
    case momentum(velocity: CellParameters<Scalar>)
    /// `Adam`'s step count t and moments m and v (both zero when t = 0).
    case adam(stepCount: Int, firstMoment: CellParameters<Scalar>, secondMoment: CellParameters<Scalar>)

    /// The name a checkpoint file stores: "none", "momentum" or "adam".
    public var name: String {
        switch self {
        case .none: "none"
        case .momentum: "momentum"
        case .adam: "adam"
        }
    }

    /// The state's tensors, each with the prefix of its names in a checkpoint file.
    var tensors: [(prefix: String, values: CellParameters<Scalar>)] {
        switch self {
        case .none: []
        case let .momentum(v): [("momentum.velocity.", v)]
        case let .adam(_, m, v): [("adam.m.", m), ("adam.v.", v)]
        }
    }

    /// The tensor-name prefixes of the optimizer called `name` in a checkpoint file, or nil if unknown.
    static func prefixes(_ name: String) -> [String]? {
        switch name {
        case "none": []
        case "momentum": ["momentum.velocity."]
        case "adam": ["adam.m.", "adam.v."]
        default: nil
        }
    }

    /// Throws unless every tensor is for a `kind` cell of these sizes with finite values,
    /// Adam's step count is at least 0 and below `Int.max` (so the next step can be counted), its second moment at least 0, and both moments are
    /// zero when the step count is.
    /// - Throws: `CellForgeError` naming the tensor at fault.
    func validate(kind: CellKind, hiddenSize: Int, inputSize: Int) throws {
        let expected = CheckpointFormat.describe(kind, hiddenSize: hiddenSize, inputSize: inputSize)
        for (prefix, p) in tensors {
            guard p.kind == kind, p.hiddenSize == hiddenSize, p.inputSize == inputSize else {
                throw CellForgeError.shapeMismatch(name: "checkpoint optimizer state \(prefix)*", expected: expected,
                                                   actual: CheckpointFormat.describe(p))
            }
            for t in CheckpointFormat.tensors(of: p) {
                if let k = t.values.firstIndex(where: { !$0.isFinite }) {
                    throw CellForgeError.nonFinite(name: "checkpoint tensor \(prefix)\(t.name) (value \(k - t.values.startIndex) is \(t.values[k]))")
                }
            }
        }
        guard case let .adam(stepCount, _, v) = self else { return }
        guard stepCount >= 0, stepCount < Int.max else {
            throw CellForgeError.invalidSize(name: "checkpoint Adam step count", value: stepCount,
                                             allowed: "from 0 to \(Int.max - 1) (so that the next step can be counted)")
        }
        for t in CheckpointFormat.tensors(of: v) {
            if let x = t.values.first(where: { $0 < 0 }) {
                throw CellForgeError.invalidArgument("checkpoint tensor adam.v.\(t.name) holds \(x): Adam's second moment must be at least 0")
            }
        }
        if stepCount == 0, let (prefix, p) = tensors.first(where: { $0.values.values.contains { $0 != 0 } }) {
            let name = CheckpointFormat.tensors(of: p).first { $0.values.contains { $0 != 0 } }!.name
            throw CellForgeError.invalidArgument(
                "checkpoint tensor \(prefix)\(name) is not zero although the Adam step count is 0 (no step taken yet)")
        }
    }
}
