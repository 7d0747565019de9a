import Foundation

/// A parsed JSON document (`JSONParser`). An array whose elements are all numbers is held as
/// `numbers`, one contiguous `[Double]`; every other array as `array`.
///
/// The one place JSON syntax is read in the package: the RTNeural and NAM readers, the
/// safetensors header and (through `package` access) CellForgeGen's kernel manifest.
package enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case numbers([Double])
    case object([String: JSONValue])

    /// Why and where a document is not valid JSON, on one line: the problem, then
    /// `at byte N (line L, column C)` (the offset 0-based, line and column 1-based, in bytes).
    package struct SyntaxError: Error, CustomStringConvertible {
        package let description: String
    }

    /// Parses `data` within `limits`.
    /// - Throws: `SyntaxError` naming the first problem found and where.
    package static func parse(_ data: Data, limits: JSONLimits) throws(SyntaxError) -> JSONValue {
        do { return try JSONParser.parse(data, limits: limits) } catch {
            let before = data.prefix(min(error.offset, data.count))
            let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let column = error.offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 - data.startIndex + 1 } ?? 0) + 1
            throw SyntaxError(description: "\(error.problem) at byte \(error.offset) (line \(line), column \(column))")
        }
    }

    /// Parses `data` within `limits`.
    /// - Throws: `CellForgeError.invalidFormat`, one line saying what `what` is, the problem,
    ///   and where: byte offset, line and column (1-based, in bytes).
    static func parse(_ data: Data, what: String, limits: JSONLimits) throws -> JSONValue {
        do { return try parse(data, limits: limits) } catch {
            throw CellForgeError.invalidFormat("\(what) is not valid JSON: \(error)")
        }
    }

    /// The elements of an array, or nil.
    package var array: [JSONValue]? {
        switch self {
        case let .array(a): a
        case let .numbers(n): n.map(JSONValue.number)
        default: nil
        }
    }
    /// The members of an object, or nil.
    package var object: [String: JSONValue]? { if case let .object(o) = self { o } else { nil } }
    /// The string, or nil.
    package var string: String? { if case let .string(s) = self { s } else { nil } }
    /// The number if it is a whole number of magnitude below 2^53, or nil (for booleans too).
    /// A Double holds every such integer exactly, so the text held exactly this number; a
    /// fraction is refused, and so is anything from 2^53 up, which may have been rounded
    /// (9007199254740993 reads as 9007199254740992).
    package var integer: Int? {
        guard case let .number(d) = self, abs(d) < 0x1p53 else { return nil }
        return Int(exactly: d)
    }

    /// A short description for messages.
    var summary: String {
        switch self {
        case .null: "null"
        case let .bool(b): "\(b)"
        case let .number(d): "\(d)"
        case let .string(s): SafeTensors.quoted(s)
        case .array, .numbers: "an array"
        case .object: "an object"
        }
    }
}
