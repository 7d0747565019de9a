import Foundation

/// A parsed JSON document, read with `JSONDecoder`, whose numbers are correctly rounded
/// (swift-corelibs-foundation's `JSONSerialization` is not: on Linux it misreads about 60% of
/// shortest-form doubles by an ulp or more, which would break exact round trips).
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// Parses `data`.
    /// - Throws: `CellForgeError.invalidFormat` saying what `what` is and why it is not JSON.
    static func parse(_ data: Data, what: String) throws -> JSONValue {
        do { return try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw CellForgeError.invalidFormat("\(what) is not valid JSON: \(SafeTensors.oneLine(error))")
        }
    }

    /// The elements of an array, or nil.
    var array: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
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
        case .array: "an array"
        case .object: "an object"
        }
    }
}
