import CellForge
import Foundation

/// How a kernel manifest's JSON values are read: every field's type is checked here, so a
/// wrong value always reads `FIELD must be EXPECTED, found a string "4"` (or `a boolean true`,
/// `a number 8.5`, `null`, `an array`, `an object`), whatever the field.
enum ManifestJSON {
    /// `read(raw)`, or the error `field must be expected, found …` when it gives nil.
    static func value<T>(_ raw: Any, _ field: String, expected: String,
                         fail: (String) -> CellForgeError, _ read: (Any) -> T?) throws -> T {
        guard let value = read(raw) else { throw fail("\(field) must be \(expected), found \(describe(raw))") }
        return value
    }

    /// The whole number `raw` holds, or nil for any other JSON value (fractions, strings and
    /// booleans included: JSON true and false arrive as NSNumbers of objCType "c", numbers never do).
    static func integer(_ raw: Any) -> Int? {
        guard let number = raw as? NSNumber, !isBoolean(number) else { return nil }
        return Int(exactly: number.doubleValue)
    }

    /// The whole number `raw` holds if `allowed` accepts it, else nil.
    static func integer(_ raw: Any, where allowed: (Int) -> Bool) -> Int? {
        integer(raw).flatMap { allowed($0) ? $0 : nil }
    }

    /// The text `raw` holds, or nil for any other JSON value.
    static func string(_ raw: Any) -> String? { raw as? String }

    /// `raw` in words for an error: its JSON type and, for a string, number or boolean, its
    /// value (a string cut to its first 40 characters).
    static func describe(_ raw: Any) -> String {
        switch raw {
        case let text as String:
            let shown = text.count > 40 ? text.prefix(40) + "…" : Substring(text)
            return "a string \"\(shown)\""
        case let number as NSNumber:
            if isBoolean(number) { return "a boolean \(number.boolValue)" }
            if let whole = Int(exactly: number.doubleValue) { return "a number \(whole)" }
            return "a number \(number.doubleValue)"
        case is NSNull: return "null"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "a \(type(of: raw))"
        }
    }

    /// Whether `number` is a JSON true or false.
    private static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }
}
