import Foundation

/// A model saved by CellForge: its architecture (layers, sizes, head, activation, scalar
/// type) and parameters in one safetensors file, plus the user's string metadata.
///
/// Layout: `ModelFormat`'s architecture metadata and tensors, the format tag
/// `"cellforge.model": "2"` (version 1 files load too) and a checksum per tensor
/// (`TensorChecksums`). User metadata keys may not start with "cellforge.".
/// `save(to:)` is atomic; `load(from:)` validates everything before returning.
public struct ModelFile<Scalar: CellScalar>: Equatable, Sendable {
    /// The format tag's metadata key.
    static var formatKey: String { "cellforge.model" }
    /// The format versions read; the last is written.
    static var versions: [String] { ["1", "2"] }
    /// What messages call this kind of file.
    static var what: String { "model file" }

    /// The model.
    public let parameters: ModelParameters<Scalar>
    /// Free-form strings saved with the model; no key starts with "cellforge.".
    public let metadata: [String: String]

    /// A model file's contents.
    /// - Throws: `CellForgeError` if a parameter is not finite (naming the tensor) or a metadata key is reserved.
    public init(parameters: ModelParameters<Scalar>, metadata: [String: String] = [:]) throws {
        try ModelFormat.checkUserMetadata(metadata, file: Self.what)
        try ModelFormat.checkFinite(parameters, file: Self.what)
        self.parameters = parameters
        self.metadata = metadata
    }

    /// The file's tensors and metadata.
    public var safeTensors: SafeTensors {
        var tensors: [String: SafeTensors.Tensor] = [:]
        for t in ModelFormat.tensors(of: parameters) {
            // Shapes match the value counts by construction.
            tensors[t.name] = try! SafeTensors.Tensor(shape: t.shape, values: Array(t.values))
        }
        let info = metadata.merging(ModelFormat.metadata(parameters.architecture, scalar: Scalar.self)) { _, own in own }
        return TensorChecksums.file(tensors: tensors, metadata: info.merging([Self.formatKey: Self.versions.last!]) { _, own in own })
    }

    /// Saves the model atomically (`SafeTensors.write(to:)`): a failed save leaves the previous file intact.
    /// - Throws: `CellForgeError.invalidArgument` saying which step failed and why.
    public func save(to url: URL) throws { try safeTensors.write(to: url) }

    /// Reads and validates the model file at `url`.
    /// - Throws: `CellForgeError` if it cannot be read, or as `init(_:)`.
    public static func load(from url: URL, as _: Scalar.Type = Scalar.self) throws -> ModelFile {
        try ModelFile(SafeTensors(contentsOf: url))
    }

    /// The model a safetensors file holds, validated in full before anything is returned:
    /// the format tag and version; the architecture (every entry present and well-formed, a
    /// cell CellForge has, sizes in range, each layer's D the H below, the head's input the top
    /// H); the scalar type (no conversion: a Float file loads only as Float); no unknown
    /// "cellforge." entry; every tensor present and no other; each tensor's dtype and shape;
    /// the tensors' checksums (`TensorChecksums`); finite values. Nothing is allocated for the
    /// parameters before the tensors are known to be present and of the right shapes, so a
    /// load's memory is bounded by the file's size.
    /// - Throws: a one-line `CellForgeError` naming the layer and tensor or entry at fault.
    public init(_ file: SafeTensors) throws {
        let header = try ModelFileHeader(file, kind: .model)
        guard header.scalar == ScalarType(Scalar.self) else {
            throw CellForgeError.invalidArgument("\(Self.what) holds \(header.scalar.swiftName) values, not \(Scalar.typeName): load it as "
                + "\(header.scalar.swiftName) and convert with `converted(to:)` if needed")
        }
        let set = try ModelFormat.checkedTensors(header, in: file, file: Self.what)
        try self.init(parameters: ModelFormat.parameters(header.architecture, from: set, version: header.version), metadata: header.user)
    }
}

/// A model file of either scalar type, as read without knowing which it holds.
public enum AnyModelFile: Equatable, Sendable {
    /// A Float model.
    case float(ModelFile<Float>)
    /// A Double model.
    case double(ModelFile<Double>)

    /// Parses and validates model file bytes (see `ModelFile.init(_:)`); the entry point
    /// for fuzzing the reader. Never traps on any input.
    /// - Throws: a one-line `CellForgeError` for anything that is not a valid model file.
    public static func parse(data: Data) throws -> AnyModelFile { try AnyModelFile(SafeTensors(data: data)) }

    /// The model file in `file`, in the scalar type its header names (see `ModelFile.init(_:)`).
    /// - Throws: a one-line `CellForgeError` for anything that is not a valid model file.
    public init(_ file: SafeTensors) throws {
        switch try ModelFileHeader(file, kind: .model).scalar {
        case .float: self = .float(try ModelFile<Float>(file))
        case .double: self = .double(try ModelFile<Double>(file))
        }
    }

    /// The model's architecture.
    public var architecture: ModelArchitecture {
        switch self {
        case let .float(m): m.parameters.architecture
        case let .double(m): m.parameters.architecture
        }
    }
}

/// What a model file or model checkpoint says about itself, read without its parameters:
/// enough to pick the kernels and scalar type (through a `KernelRegistry`) before loading.
public struct ModelFileHeader: Equatable, Sendable {
    /// Which kind of file.
    public enum Kind: Sendable {
        /// A `ModelFile`.
        case model
        /// A `ModelCheckpoint` file.
        case checkpoint
        /// A `TrainingCheckpoint` file.
        case training
    }

    /// The model's architecture.
    public let architecture: ModelArchitecture
    /// The scalar type the values are stored in.
    public let scalar: ScalarType
    /// The user's metadata (keys not starting with "cellforge.").
    public let user: [String: String]
    /// The "cellforge." entries this header used; checkpoints add theirs before rejecting unknown ones.
    let keys: Set<String>
    /// The file's format version (tensor names differ between versions).
    let version: Int

    /// The header of the model file (or checkpoint, for `kind` `.checkpoint`) at `url`.
    /// - Throws: `CellForgeError` if the file cannot be read or its header is not valid.
    public init(contentsOf url: URL, kind: Kind = .model) throws {
        try self.init(SafeTensors(contentsOf: url), kind: kind)
    }

    /// The header in a file's `__metadata__`: format tag and version, architecture, scalar type.
    /// For a model file, also refuses unknown "cellforge." entries.
    /// - Throws: a one-line `CellForgeError` naming the entry at fault.
    public init(_ file: SafeTensors, kind: Kind) throws {
        let (what, key, versions) = switch kind {
        case .model: (ModelFile<Float>.what, ModelFile<Float>.formatKey, ModelFile<Float>.versions)
        case .checkpoint: (ModelCheckpointFormat.what, ModelCheckpointFormat.formatKey, ModelCheckpointFormat.versions)
        case .training: (TrainingCheckpointFormat.what, TrainingCheckpointFormat.formatKey, TrainingCheckpointFormat.versions)
        }
        guard let found = file.metadata[key] else {
            let other = [(ModelFile<Float>.formatKey, "model file", "ModelFile"),
                         (ModelCheckpointFormat.formatKey, "model checkpoint", "ModelCheckpoint"),
                         (TrainingCheckpointFormat.formatKey, "training checkpoint", "TrainingCheckpoint")]
                .first { file.metadata[$0.0] != nil }
            let hint = switch kind {
            case _ where file.metadata[CheckpointFormat.Key.format] != nil: "(it is a cell checkpoint: load it with ModelCheckpoint)"
            case _ where other != nil: "(it is a \(other!.1): load it with \(other!.2))"
            default: "(PyTorch, Keras and RTNeural models load with PyTorchModelWeights, KerasModelWeights and RTNeuralModel)"
            }
            throw CellForgeError.invalidFormat("not a CellForge \(what): its __metadata__ has no \"\(key)\" entry \(hint)")
        }
        guard let v = versions.firstIndex(of: found) else {
            throw CellForgeError.invalidFormat("\(what) format version \(SafeTensors.quoted(found)) is not supported "
                + "(CellForge reads versions \(versions.joined(separator: " and ")))")
        }
        // Training checkpoints began with the model format's current tensor names.
        version = kind == .training ? ModelFormat.version : v + 1
        let (architecture, scalar, keys) = try ModelFormat.architecture(from: file.metadata, version: version, file: what)
        self.architecture = architecture
        self.scalar = scalar
        self.keys = keys.union([key])
        user = file.metadata.filter { !$0.key.hasPrefix(CheckpointFormat.reservedPrefix) }
        if kind == .model { try checkNoUnknownEntries(file.metadata, known: self.keys, file: what) }
    }

    /// Throws unless the values are stored as `S` exactly: checkpoints are not converted, so
    /// that a resumed run stays exact.
    func checkExactScalar<S: CellScalar>(_: S.Type, file what: String) throws {
        guard scalar == ScalarType(S.self) else {
            throw CellForgeError.invalidArgument("\(what) holds \(scalar.swiftName) values, not \(S.typeName): load it as "
                + "\(scalar.swiftName) (checkpoints are not converted, so that a resumed run stays exact)")
        }
    }

    /// Throws naming a "cellforge." entry of `metadata` not in `known` and not a checksum
    /// entry (those are checked by `TensorChecksums.verify`).
    func checkNoUnknownEntries(_ metadata: [String: String], known: Set<String>, file what: String) throws {
        if let key = metadata.keys.sorted().first(where: {
            $0.hasPrefix(CheckpointFormat.reservedPrefix) && !known.contains($0) && !TensorChecksums.isKey($0)
        }) {
            throw CellForgeError.invalidFormat("\(what) __metadata__ has an unexpected entry \(SafeTensors.quoted(key))")
        }
    }
}
