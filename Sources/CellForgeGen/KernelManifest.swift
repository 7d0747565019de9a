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
/// `registry` is optional (default `Kernels`); in an entry `cell`, `hidden` and `input` are
/// required, `scalar` is optional (default `float`), `vectorBits` (128, 256 or 512) defaults
/// to the manifest's top-level `vectorBits` or, without one, to the platform's width
/// (`KernelTarget.platformDefault`; give it in committed manifests so they regenerate the
/// same bytes on every machine), and `registers` (16 or 32) to the width's usual count.
/// Unknown fields and duplicate entries are errors, so a typo never silently drops a kernel.
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

    /// Reads and checks the manifest at `url`.
    /// - Throws: `CellForgeError.invalidArgument`, one line naming the file, the entry and the field.
    public static func load(from url: URL) throws -> KernelManifest {
        try parse(RegularFile.read(url), name: url.path)
    }

    /// Parses manifest JSON; `name` (the file's path) starts every error message.
    /// - Throws: `CellForgeError.invalidArgument`, one line naming the entry and the field.
    public static func parse(_ data: Data, name: String) throws -> KernelManifest {
        func fail(_ message: String) -> CellForgeError { .invalidArgument("\(name): \(message)") }
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("not a JSON object (expected {\"registry\": …, \"kernels\": […]})")
        }
        if let unknown = top.keys.sorted().first(where: { !["registry", "vectorBits", "kernels"].contains($0) }) {
            throw fail("unknown field \"\(unknown)\" (expected \"registry\", \"vectorBits\" and \"kernels\")")
        }
        let defaultBits = try top["vectorBits"].map { try vectorBits($0, field: "\"vectorBits\"", fail: fail) }
            ?? KernelTarget.platformDefault.vectorBits
        var registry = defaultRegistryName
        if let value = top["registry"] {
            guard let text = value as? String, isIdentifier(text), !reservedNames.contains(text) else {
                throw fail("\"registry\" must be a Swift type name other than \(reservedNames.joined(separator: " and ")), got \(value)")
            }
            registry = text
        }
        guard let entries = top["kernels"] as? [Any] else { throw fail("\"kernels\" must be a list of kernel entries") }
        var kernels: [KernelSpec] = []
        for (index, value) in entries.enumerated() {
            guard let object = value as? [String: Any] else { throw fail("kernels[\(index)] is not an object") }
            let spec = try entry(object, vectorBits: defaultBits) { fail("kernels[\(index)]: \($0)") }
            if let first = kernels.firstIndex(where: { $0.key == spec.key }) {
                throw fail("kernels[\(index)] repeats kernels[\(first)] (\(spec.typeName))")
            }
            kernels.append(spec)
        }
        return KernelManifest(registryName: registry, kernels: kernels)
    }

    /// The fields an entry may have. To add one, list it here and read it in `entry`.
    static let entryFields = ["cell", "hidden", "input", "scalar", "vectorBits", "registers"]
    /// Names the registry may not take: the library's and the committed kernels' modules.
    static let reservedNames = ["CellForge", "CellForgeKernels"]

    /// One entry as a spec; `fail` turns a message into the error naming the entry.
    static func entry(_ object: [String: Any], vectorBits defaultBits: Int,
                      fail: (String) -> CellForgeError) throws -> KernelSpec {
        if let unknown = object.keys.sorted().first(where: { !entryFields.contains($0) }) {
            throw fail("unknown field \"\(unknown)\" (expected \(entryFields.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        func text(_ field: String, default value: String?) throws -> String {
            guard let raw = object[field] else {
                guard let value else { throw fail("missing field \"\(field)\"") }
                return value
            }
            guard let text = raw as? String else { throw fail("field \"\(field)\" must be a string, got \(raw)") }
            return text
        }
        func size(_ field: String) throws -> Int {
            guard let raw = object[field] else { throw fail("missing field \"\(field)\"") }
            guard let n = wholeNumber(raw), (1...KernelSpec.maximumSize).contains(n) else {
                throw fail("field \"\(field)\" must be a whole number from 1 to \(KernelSpec.maximumSize), got \(raw)")
            }
            return n
        }
        let cellText = try text("cell", default: nil)
        guard let cell = CellKind(rawValue: cellText) else {
            throw fail("field \"cell\" must be lstm, rnn or gru, got \"\(cellText)\"")
        }
        let hidden = try size("hidden"), input = try size("input")
        let scalarText = try text("scalar", default: ScalarType.float.rawValue)
        guard let scalar = ScalarType(rawValue: scalarText) else {
            throw fail("field \"scalar\" must be float or double, got \"\(scalarText)\"")
        }
        let bits = try object["vectorBits"].map { try vectorBits($0, field: "field \"vectorBits\"", fail: fail) } ?? defaultBits
        let registers = try object["registers"].map { raw in
            guard let n = wholeNumber(raw), KernelTarget.supportedRegisters.contains(n) else {
                throw fail("field \"registers\" must be 16 or 32, got \(raw)")
            }
            return n
        }
        return try KernelSpec(cell: cell, hiddenSize: hidden, inputSize: input, scalar: scalar,
                              target: KernelTarget(vectorBits: bits, registers: registers))
    }

    /// A vector width in bits (128, 256 or 512) from JSON; `field` names it in the error.
    static func vectorBits(_ raw: Any, field: String, fail: (String) -> CellForgeError) throws -> Int {
        guard let n = wholeNumber(raw), KernelTarget.supportedVectorBits.contains(n) else {
            throw fail("\(field) must be 128, 256 or 512, got \(raw)")
        }
        return n
    }

    /// A JSON number that is a whole number, or nil (JSON true and false arrive as NSNumbers
    /// of objCType "c" (char); numbers never do).
    static func wholeNumber(_ raw: Any) -> Int? {
        guard let number = raw as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return Int(exactly: number.doubleValue)
    }

    /// Whether `text` is a plain Swift identifier (ASCII letters, digits, underscores; no leading digit).
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
