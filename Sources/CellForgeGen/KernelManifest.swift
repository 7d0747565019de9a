import CellForge
import Foundation

/// A kernel manifest: the kernels a target needs and the name of its registry type, read from
/// a JSON file such as `Generated/kernels.json`:
///
///     {
///       "registry": "GeneratedKernels",
///       "vectorBits": 256,
///       "kernels": [
///         {"cell": "lstm", "hidden": 8, "input": 8},
///         {"cell": "gru", "hidden": 3, "input": 4, "scalar": "double"},
///         {"cell": "lstm", "hidden": 32, "input": 32, "vectorBits": 512}
///       ]
///     }
///
/// `registry` is optional (default `Kernels`) and must be a Swift identifier that is not a
/// keyword, a name the generated files use or a kernel type's (`SwiftNames`); in an entry `cell`, `hidden` and `input` are
/// required, `scalar` is optional (default `float`), `vectorBits` (128, 256 or 512) defaults
/// to the manifest's top-level `vectorBits` or, without one, to the platform's width
/// (`KernelTarget.platformDefault`; give it in committed manifests so they regenerate the
/// same bytes on every machine), and `registers` (16 or 32) to the width's usual count.
/// Unknown fields, values of the wrong JSON type and duplicate entries are errors, so a typo
/// never silently drops a kernel. The JSON is read strictly (`ManifestJSON.limits`): a syntax
/// error, a NaN literal, a number beyond Double's range, a duplicate key or invalid UTF-8 is
/// named with its byte offset.
public struct KernelManifest: Equatable, Sendable {
    /// The registry type's name when the manifest gives none.
    public static let defaultRegistryName = "Kernels"
    /// The name of the file the plugins look for in a target's folder.
    public static let fileName = "kernels.json"
    /// The name of the generated registry source file.
    public static let registryFileName = "KernelRegistry.swift"

    /// The generated registry type's name.
    public var registryName: String
    /// The kernels, in manifest order.
    public var kernels: [KernelSpec]

    /// A manifest.
    public init(registryName: String = Self.defaultRegistryName, kernels: [KernelSpec]) {
        self.registryName = registryName
        self.kernels = kernels
    }

    /// The largest manifest file `load` reads: 16 MiB (10,000 entries take about 600 KB).
    public static let maximumFileSize = 16 << 20

    /// Reads and checks the manifest at `url`, a regular file of at most `maximumFileSize` bytes.
    /// - Throws: `CellForgeError.invalidArgument`, one line naming the file, the entry and the
    ///   field, or what the path is if it is not a regular file, or its size if it is too large.
    public static func load(from url: URL) throws -> KernelManifest {
        try parse(RegularFile.read(url, maximumSize: maximumFileSize), name: url.path)
    }

    /// Parses manifest JSON; `name` (the file's path) starts every error message.
    /// - Throws: `CellForgeError.invalidArgument`, one line naming the entry and the field, or
    ///   for JSON that is not valid, the problem and its byte offset, line and column.
    public static func parse(_ data: Data, name: String) throws -> KernelManifest {
        func fail(_ message: String) -> CellForgeError { .invalidArgument("\(name): \(message)") }
        let json: JSONValue
        do { json = try JSONValue.parse(data, limits: ManifestJSON.limits) } catch { throw fail("not valid JSON: \(error)") }
        guard let top = json.object else {
            throw fail("not a JSON object (expected {\"registry\": …, \"kernels\": […]})")
        }
        if let unknown = top.keys.sorted().first(where: { !["registry", "vectorBits", "kernels"].contains($0) }) {
            throw fail("unknown field \"\(unknown)\" (expected \"registry\", \"vectorBits\" and \"kernels\")")
        }
        let defaultBits = try top["vectorBits"].map { try vectorBits($0, field: "\"vectorBits\"", fail: fail) }
            ?? KernelTarget.platformDefault.vectorBits
        let registry = try top["registry"].map {
            try ManifestJSON.value($0, "\"registry\"", expected: "a string", fail: fail, \.string)
        } ?? defaultRegistryName
        if let problem = SwiftNames.registryNameProblem(registry) {
            throw fail("\"registry\" must be a Swift type name, found \(ManifestJSON.describe(registry)) (\(problem))")
        }
        guard let list = top["kernels"] else { throw fail("missing field \"kernels\" (a list of kernel entries)") }
        let entries = try ManifestJSON.value(list, "\"kernels\"", expected: "a list of kernel entries", fail: fail, \.array)
        var kernels: [KernelSpec] = []
        var indexOfKey: [KernelKey: Int] = [:]
        for (index, value) in entries.enumerated() {
            let object = try ManifestJSON.value(value, "kernels[\(index)]", expected: "an object", fail: fail, \.object)
            let spec = try entry(object, vectorBits: defaultBits) { fail("kernels[\(index)]: \($0)") }
            if let first = indexOfKey.updateValue(index, forKey: spec.key) {
                throw fail("kernels[\(index)] repeats kernels[\(first)] (\(spec.typeName))")
            }
            kernels.append(spec)
        }
        return KernelManifest(registryName: registry, kernels: kernels)
    }

    /// The fields an entry may have. To add one, list it here and read it in `entry`.
    static let entryFields = ["cell", "hidden", "input", "scalar", "vectorBits", "registers"]

    /// One entry as a spec; `fail` turns a message into the error naming the entry.
    static func entry(_ object: [String: JSONValue], vectorBits defaultBits: Int,
                      fail: (String) -> CellForgeError) throws -> KernelSpec {
        if let unknown = object.keys.sorted().first(where: { !entryFields.contains($0) }) {
            throw fail("unknown field \"\(unknown)\" (expected \(entryFields.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        /// Field `field` read by `read`, or nil when it is absent.
        func optional<T>(_ field: String, expected: String, _ read: (JSONValue) -> T?) throws -> T? {
            try object[field].map { try ManifestJSON.value($0, "field \"\(field)\"", expected: expected, fail: fail, read) }
        }
        func required<T>(_ field: String, expected: String, _ read: (JSONValue) -> T?) throws -> T {
            guard let value = try optional(field, expected: expected, read) else { throw fail("missing field \"\(field)\"") }
            return value
        }
        let sizes = 1...KernelSpec.maximumSize
        func size(_ raw: JSONValue) -> Int? { ManifestJSON.integer(raw, where: sizes.contains) }
        let cell = try required("cell", expected: "lstm, rnn or gru") { $0.string.flatMap(CellKind.init(rawValue:)) }
        guard KernelSpec.generatedCells.contains(cell) else { throw fail("cell \"rnn_relu\" has no generated kernel: relu RNN layers run on the run-time kernel") }
        let hidden = try required("hidden", expected: "an integer from 1 to \(KernelSpec.maximumSize)", size)
        let input = try required("input", expected: "an integer from 1 to \(KernelSpec.maximumSize)", size)
        let scalar = try optional("scalar", expected: "float or double") { $0.string.flatMap(ScalarType.init(rawValue:)) }
        let bits = try object["vectorBits"].map { try vectorBits($0, field: "field \"vectorBits\"", fail: fail) } ?? defaultBits
        let registers = try optional("registers", expected: "16 or 32") {
            ManifestJSON.integer($0, where: KernelTarget.supportedRegisters.contains)
        }
        return try KernelSpec(cell: cell, hiddenSize: hidden, inputSize: input, scalar: scalar ?? .float,
                              target: KernelTarget(vectorBits: bits, registers: registers))
    }

    /// A vector width in bits (128, 256 or 512) from JSON; `field` names it in the error.
    static func vectorBits(_ raw: JSONValue, field: String, fail: (String) -> CellForgeError) throws -> Int {
        try ManifestJSON.value(raw, field, expected: "128, 256 or 512", fail: fail) {
            ManifestJSON.integer($0, where: KernelTarget.supportedVectorBits.contains)
        }
    }
}
