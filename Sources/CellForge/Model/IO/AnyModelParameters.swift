import Foundation

/// A model's parameters in the scalar type its file holds: the entry point for programs that
/// learn a model's sizes and scalar type only when they read it. Switch over it and hand the
/// parameters to generic code, which opens the kernels for the file's sizes from a
/// `KernelRegistry`:
///
/// ```swift
/// func play<S: CellScalar>(_ p: ModelParameters<S>) throws {
///     let stream = try ModelStream(parameters: p, registry: MyKernels.self)  // or ModelDriver
///     …
/// }
/// switch try AnyModelParameters(pyTorch: SafeTensors(contentsOf: url)) {
/// case let .float(p): try play(p)
/// case let .double(p): try play(p)
/// }
/// ```
///
/// A size the registry lacks fails in `ModelStream`/`ModelDriver`'s initialiser, before
/// anything is allocated, with `ModelArchitecture.checkKernels(in:scalar:)`'s one-line error.
public enum AnyModelParameters: Equatable, Sendable {
    /// A model computing in Float.
    case float(ModelParameters<Float>)
    /// A model computing in Double.
    case double(ModelParameters<Double>)

    /// The model in a CellForge model file, in the scalar type its header names.
    /// - Throws: as `ModelFile.init(_:)`, or `CellForgeError` if the file cannot be read.
    public init(modelFileAt url: URL) throws {
        switch try AnyModelFile(SafeTensors(contentsOf: url)) {
        case let .float(m): self = .float(m.parameters)
        case let .double(m): self = .double(m.parameters)
        }
    }

    /// The model in a PyTorch state_dict (see `PyTorchModelWeights.parameters(from:recurrent:head:kind:activation:as:)`),
    /// in Double when its recurrent weights are stored as F64 and in Float otherwise.
    /// - Throws: as `PyTorchModelWeights`.
    public init(pyTorch file: SafeTensors, recurrent: String? = nil, head: String? = nil, kind: CellKind? = nil,
                activation: ActivationKind = .identity) throws {
        let rnn = try recurrent ?? PyTorchModelWeights.findRecurrentPrefix(in: file)
        if file[rnn + "weight_ih_l0"]?.dtype == .f64 {
            self = .double(try PyTorchModelWeights.parameters(from: file, recurrent: recurrent, head: head, kind: kind,
                                                              activation: activation))
        } else {
            self = .float(try PyTorchModelWeights.parameters(from: file, recurrent: recurrent, head: head, kind: kind,
                                                             activation: activation))
        }
    }

    /// The model in an RTNeural JSON file, in `scalar` (JSON numbers carry no type; RTNeural
    /// itself usually computes in Float).
    /// - Throws: as `RTNeuralModel.parameters(contentsOf:as:)`.
    public init(rtNeuralAt url: URL, scalar: ScalarType = .float) throws {
        switch scalar {
        case .float: self = .float(try RTNeuralModel.parameters(contentsOf: url))
        case .double: self = .double(try RTNeuralModel.parameters(contentsOf: url))
        }
    }

    /// The model's architecture.
    public var architecture: ModelArchitecture {
        switch self {
        case let .float(p): p.architecture
        case let .double(p): p.architecture
        }
    }

    /// The scalar type the model computes in.
    public var scalar: ScalarType {
        switch self {
        case .float: .float
        case .double: .double
        }
    }
}
