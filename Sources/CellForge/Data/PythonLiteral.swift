/// A Python literal as a `.npy` header writes one: a dict, tuple, list, string, integer,
/// True, False or None.
indirect enum PythonLiteral {
    case dict([(key: String, value: PythonLiteral)])
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case string(String)
    /// An integer; nil if it does not fit in `Int`.
    case integer(Int?)
    case bool(Bool)
    case none

    /// The deepest nesting parsed.
    static let maximumDepth = 32

    /// Parses `text`: one literal, surrounded by optional whitespace. Strings are quoted with
    /// ' or ", with the escapes \\, \', \", \n, \t; integers are decimal with an optional
    /// minus sign; a tuple, list or dict may end with a comma; a
    /// tuple of one item needs one, as `(x)` is `x` in parentheses.
    /// - Throws: `PythonLiteral.SyntaxError` with what was expected and the character offset.
    static func parse(_ text: String) throws -> PythonLiteral {
        var parser = Parser(Array(text.unicodeScalars))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at >= parser.text.count else { throw parser.error("end of header") }
        return value
    }

    struct SyntaxError: Error {
        let message: String
    }

    private struct Parser {
        let text: [Unicode.Scalar]
        var at = 0

        init(_ text: [Unicode.Scalar]) { self.text = text }

        func error(_ expected: String) -> SyntaxError {
            let found = at < text.count ? "\"\(Character(text[at]))\"" : "the end"
            return SyntaxError(message: "expected \(expected) at character \(at), found \(found)")
        }

        mutating func skipSpace() {
            while at < text.count, [" ", "\t", "\n", "\r"].contains(text[at]) { at += 1 }
        }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            skipSpace()
            guard at < text.count, text[at] == c else { return false }
            at += 1
            return true
        }

        mutating func value(depth: Int) throws -> PythonLiteral {
            guard depth < PythonLiteral.maximumDepth else { throw SyntaxError(message: "nesting deeper than \(PythonLiteral.maximumDepth)") }
            skipSpace()
            guard at < text.count else { throw error("a value") }
            switch text[at] {
            case "{":
                at += 1
                var items: [(key: String, value: PythonLiteral)] = []
                while !take("}") {
                    guard case let .string(key) = try value(depth: depth + 1) else { throw error("a string key") }
                    guard take(":") else { throw error("\":\"") }
                    items.append((key, try value(depth: depth + 1)))
                    if !take(",") { guard take("}") else { throw error("\",\" or \"}\"") }; break }
                }
                return .dict(items)
            case "(", "[":
                let close: Unicode.Scalar = text[at] == "(" ? ")" : "]"
                at += 1
                var items: [PythonLiteral] = [], trailingComma = false
                while !take(close) {
                    items.append(try value(depth: depth + 1))
                    trailingComma = take(",")
                    if !trailingComma { guard take(close) else { throw error("\",\" or \"\(close)\"") }; break }
                }
                if close == "]" { return .list(items) }
                return items.count == 1 && !trailingComma ? items[0] : .tuple(items)
            case "'", "\"":
                return .string(try string())
            case "-", "0"..."9":
                return .integer(try integer())
            default:
                for (word, literal) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)]
                where text[at...].starts(with: word.unicodeScalars) {
                    at += word.unicodeScalars.count
                    return literal
                }
                throw error("a value")
            }
        }

        mutating func string() throws -> String {
            let quote = text[at]
            at += 1
            var out = String.UnicodeScalarView()
            while at < text.count, text[at] != quote {
                if text[at] == "\\" {
                    at += 1
                    guard at < text.count else { break }
                    switch text[at] {
                    case "\\", "'", "\"": out.append(text[at])
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: throw error("one of the escapes \\\\ \\' \\\" \\n \\t")
                    }
                } else {
                    out.append(text[at])
                }
                at += 1
            }
            guard at < text.count else { throw error("a closing \(quote)") }
            at += 1
            return String(out)
        }

        mutating func integer() throws -> Int? {
            let negative = text[at] == "-"
            if negative { at += 1 }
            let start = at
            var value: Int? = 0
            while at < text.count, ("0"..."9").contains(text[at]) {
                let digit = Int(text[at].value) - 48
                if let v = value {
                    let (m, o1) = v.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(negative ? -digit : digit)
                    value = o1 || o2 ? nil : s
                }
                at += 1
            }
            guard at > start else { throw error("a digit") }
            return value
        }
    }
}
