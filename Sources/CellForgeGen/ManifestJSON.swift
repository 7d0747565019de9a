import CellForge
import Foundation

/// How a kernel manifest's JSON values are read: every field's type is checked here, so a
/// wrong value always reads `FIELD must be EXPECTED, found a string "4"` (or `a boolean true`,
/// `a number 8.5`, `null`, `an array`, `an object`), whatever the field. The syntax is
/// CellForge's strict JSON parser's (`JSONValue`), the one the model and weights readers use.
enum ManifestJSON {
    /// The limits a manifest's JSON is parsed within: nesting at most 64 deep (a valid manifest
    /// nests 3 deep: the manifest, `kernels`, an entry), at most 2^22 values and 2^20 arrays
    /// and objects (10,000 entries hold about 70,000 values).
    static let limits = JSONLimits(maximumDepth: 64, maximumValueCount: 1 << 22, maximumContainerCount: 1 << 20)

    /// `read(raw)`, or the error `field must be expected, found …` when it gives nil.
    static func value<T>(_ raw: JSONValue, _ field: String, expected: String,
                         fail: (String) -> CellForgeError, _ read: (JSONValue) -> T?) throws -> T {
        guard let value = read(raw) else { throw fail("\(field) must be \(expected), found \(describe(raw))") }
        return value
    }

    /// The whole number `raw` holds if `allowed` accepts it, else nil (for fractions, strings
    /// and booleans too).
    static func integer(_ raw: JSONValue, where allowed: (Int) -> Bool) -> Int? {
        raw.integer.flatMap { allowed($0) ? $0 : nil }
    }

    /// `raw` in words for an error: its JSON type and, for a string, number or boolean, its
    /// value (a string cut to its first 40 characters).
    static func describe(_ raw: JSONValue) -> String {
        switch raw {
        case let .string(text): describe(text)
        case let .bool(flag): "a boolean \(flag)"
        case let .number(number): Int(exactly: number).map { "a number \($0)" } ?? "a number \(number)"
        case .null: "null"
        case .array, .numbers: "an array"
        case .object: "an object"
        }
    }

    /// A string in words for an error: `a string "…"`, cut to its first 40 characters.
    static func describe(_ text: String) -> String {
        let shown = text.count > 40 ? text.prefix(40) + "…" : Substring(text)
        return "a string \"\(shown)\""
    }
}
