import Foundation

/// A parsed JSON document (`JSONParser`). An array whose elements are all numbers is held as
/// `numbers`, one contiguous `[Double]`; every other array as `array`.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case numbers([Double])
    case object([String: JSONValue])

    /// Parses `data` within `limits`.
    /// - Throws: `CellForgeError.invalidFormat`, one line saying what `what` is, the problem,
    ///   and where: byte offset, line and column (1-based, in bytes).
    static func parse(_ data: Data, what: String, limits: JSONLimits) throws -> JSONValue {
        do { return try JSONParser.parse(data, limits: limits) } catch {
            let before = data.prefix(min(error.offset, data.count))
            let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let column = error.offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 - data.startIndex + 1 } ?? 0) + 1
            throw CellForgeError.invalidFormat("\(what) is not valid JSON: \(error.problem) "
                + "at byte \(error.offset) (line \(line), column \(column))")
        }
    }

    /// The elements of an array, or nil.
    var array: [JSONValue]? {
        switch self {
        case let .array(a): a
        case let .numbers(n): n.map(JSONValue.number)
        default: nil
        }
    }
    /// The members of an object, or nil.
    var object: [String: JSONValue]? { if case let .object(o) = self { o } else { nil } }
    /// The string, or nil.
    var string: String? { if case let .string(s) = self { s } else { nil } }
    /// The number if it is an integer that fits `Int`, or nil.
    var integer: Int? {
        guard case let .number(d) = self, d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
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
