import Foundation

/// A strict RFC 8259 JSON parser: UTF-8 validated, no NaN or Infinity literals, no trailing
/// commas, no leading zeros, no duplicate object keys, no bytes after the document; numbers
/// read with Swift's correctly rounded `Double(_:)`, and a number beyond Double's range
/// (1e400) refused rather than read as infinity.
///
/// Work and memory are bounded by `JSONLimits`: nesting depth, values, and containers (arrays
/// and objects) are counted as they are read and the parse stops at the first one over its
/// limit. An array of numbers only is stored as one `[Double]`. It is iterative, so deep
/// nesting cannot overflow the stack.
struct JSONParser {
    /// A parse failure: what is wrong and the byte offset where it was found.
    struct Failure: Error {
        let problem: String
        let offset: Int
    }

    /// An array or object being read.
    private struct Frame {
        let isObject: Bool
        let start: Int
        var numbers: [Double] = []
        var values: [JSONValue] = []
        var allNumbers = true
        var members: [String: JSONValue] = [:]
        var key = ""
        var keyStart = 0
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: JSONLimits
    private var position = 0
    private var valueCount = 0
    private var containerCount = 0

    /// Parses `data` as one JSON document within `limits`.
    /// - Throws: `Failure` with the first problem found and its byte offset.
    static func parse(_ data: Data, limits: JSONLimits) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self), limits: limits)
            do throws(Failure) { return .success(try parser.document()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    private func fail(_ problem: String, at offset: Int? = nil) -> Failure { Failure(problem: problem, offset: offset ?? position) }

    private var atEnd: Bool { position >= bytes.count }

    private mutating func skipWhitespace() {
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D: true
        default: false
        }
    }

    private mutating func document() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard !atEnd else { throw fail(bytes.isEmpty ? "the input is empty" : "the input holds only whitespace") }
        var stack: [Frame] = []
        while true {
            var value = try scalarOrOpen(&stack)
            // Attach the value to its container, closing every container that ends here.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard atEnd else { throw fail("unexpected \(shown(position)) after the end of the document") }
                    return value
                }
                let top = stack.count - 1
                if stack[top].isObject {
                    guard stack[top].members.updateValue(value, forKey: stack[top].key) == nil else {
                        throw fail("duplicate object key \(SafeTensors.quoted(stack[top].key))", at: stack[top].keyStart)
                    }
                } else if case let .number(number) = value, stack[top].allNumbers {
                    stack[top].numbers.append(number)
                } else {
                    if stack[top].allNumbers {
                        stack[top].values = stack[top].numbers.map(JSONValue.number)
                        stack[top].numbers = []
                        stack[top].allNumbers = false
                    }
                    stack[top].values.append(value)
                }
                skipWhitespace()
                let close = UInt8(ascii: stack[top].isObject ? "}" : "]")
                if !atEnd, bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    if stack[top].isObject { try memberKey(&stack[top]) }
                    break
                }
                guard !atEnd, bytes[position] == close else { throw unclosed(stack[top], expected: close) }
                position += 1
                value = Self.finish(stack.removeLast())
            }
        }
    }

    /// Reads a scalar value, or opens a container (pushing it, with its first key read) and
    /// reads on until a value is complete: an empty container is returned as that value.
    private mutating func scalarOrOpen(_ stack: inout [Frame]) throws(Failure) -> JSONValue {
        while true {
            skipWhitespace()
            guard !atEnd else { throw stack.last.map { unclosed($0, expected: nil) } ?? fail("the input ends before a value") }
            valueCount += 1
            guard valueCount <= limits.maximumValueCount else {
                throw fail("more than \(limits.maximumValueCount) values (the limit)")
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                containerCount += 1
                guard containerCount <= limits.maximumContainerCount else {
                    throw fail("more than \(limits.maximumContainerCount) arrays and objects (the limit)")
                }
                guard stack.count < limits.maximumDepth else { throw fail("nesting deeper than \(limits.maximumDepth) (the limit)") }
                let isObject = byte == UInt8(ascii: "{")
                stack.append(Frame(isObject: isObject, start: position))
                position += 1
                skipWhitespace()
                if !atEnd, bytes[position] == UInt8(ascii: isObject ? "}" : "]") {
                    position += 1
                    return Self.finish(stack.removeLast())
                }
                if isObject { try memberKey(&stack[stack.count - 1]) }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "N"), UInt8(ascii: "I"):
                throw fail("\(shown(position)): JSON has no NaN or Infinity (RFC 8259 numbers are finite)")
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                let previous = bytes[..<position].lastIndex { !Self.isWhitespace($0) }
                throw fail(previous.map { bytes[$0] == UInt8(ascii: ",") } == true
                           ? "trailing comma before \(shown(position))" : "unexpected \(shown(position)) where a value should be")
            default: throw fail("unexpected \(shown(position)) where a value should be")
            }
        }
    }

    /// Reads an object member's key and colon into `frame`.
    private mutating func memberKey(_ frame: inout Frame) throws(Failure) {
        skipWhitespace()
        guard !atEnd else { throw unclosed(frame, expected: nil) }
        guard bytes[position] == UInt8(ascii: "\"") else {
            throw fail(bytes[position] == UInt8(ascii: "}") ? "trailing comma before \"}\"" : "unexpected \(shown(position)) where an object key should be")
        }
        frame.keyStart = position
        frame.key = try string()
        skipWhitespace()
        guard !atEnd else { throw unclosed(frame, expected: nil) }
        guard bytes[position] == UInt8(ascii: ":") else { throw fail("unexpected \(shown(position)) after an object key (expected \":\")") }
        position += 1
    }

    /// The value of a closed container.
    private static func finish(_ frame: Frame) -> JSONValue {
        if frame.isObject { return .object(frame.members) }
        return frame.allNumbers && !frame.numbers.isEmpty ? .numbers(frame.numbers) : .array(frame.values)
    }

    /// The failure for a container that is not closed where it should be.
    private func unclosed(_ frame: Frame, expected close: UInt8?) -> Failure {
        let what = frame.isObject ? "object" : "array"
        guard !atEnd else { return fail("the input ends inside the \(what) opened at byte \(frame.start)") }
        let wanted = close.map { "\",\" or \"\(Character(Unicode.Scalar($0)))\"" } ?? "a value"
        return fail("unexpected \(shown(position)) in the \(what) opened at byte \(frame.start) (expected \(wanted))")
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - position >= text.count, bytes[position..<position + text.count].elementsEqual(text) else {
            throw fail("unexpected \(shown(position)) where a value should be")
        }
        position += text.count
    }

    /// Reads a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, correctly rounded.
    private mutating func number() throws(Failure) -> Double {
        let start = position
        func digits() -> Int {
            let first = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - first
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        if !atEnd, bytes[position] == UInt8(ascii: "I") {
            throw fail("\(shown(start)): JSON has no NaN or Infinity (RFC 8259 numbers are finite)", at: start)
        }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0 else { throw fail("number \(text(start)) has no digits", at: start) }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw fail("number \(text(start)) has a leading zero", at: start)
        }
        if !atEnd, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw fail("number \(text(start)) has no digits after \".\"", at: start) }
        }
        if !atEnd, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if !atEnd, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw fail("number \(text(start)) has no digits in its exponent", at: start) }
        }
        let value = Double(String(decoding: bytes[start..<position], as: UTF8.self))!
        guard value.isFinite else { throw fail("number \(text(start)) is out of Double range", at: start) }
        return value
    }

    /// Reads a string from its opening quote, validating UTF-8 and escapes.
    private mutating func string() throws(Failure) -> String {
        let start = position
        position += 1
        var escaped: [UInt8]?  // the decoded bytes, once an escape is met
        var runStart = position
        while true {
            guard !atEnd else { throw fail("the input ends inside the string that starts at byte \(start)", at: start) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = bytes[runStart..<position]
                position += 1
                guard var decoded = escaped else { return String(decoding: run, as: UTF8.self) }
                decoded.append(contentsOf: run)
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte < 0x20 { throw fail("control character 0x\(hex(byte)) in a string (it must be escaped)") }
            if byte >= 0x80 {
                position += try utf8Length(at: position)
                continue
            }
            if byte == UInt8(ascii: "\\") {
                escaped = (escaped ?? []) + bytes[runStart..<position]
                escaped!.append(contentsOf: try escape())
                runStart = position
                continue
            }
            position += 1
        }
    }

    /// Reads one escape sequence from its backslash and returns its UTF-8 bytes.
    private mutating func escape() throws(Failure) -> [UInt8] {
        let start = position
        guard bytes.count - position >= 2 else { throw fail("the input ends inside an escape sequence", at: start) }
        let letter = bytes[position + 1]
        position += 2
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
        if let byte = simple[letter] { return [byte] }
        guard letter == UInt8(ascii: "u") else { throw fail("invalid escape \"\\\(shownCharacter(letter))\" in a string", at: start) }
        var scalar = try hexQuad(escapeStart: start)
        if (0xD800...0xDBFF).contains(scalar) {
            guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw fail("unpaired surrogate \\u\(hex4(scalar)) in a string", at: start)
            }
            position += 2
            let low = try hexQuad(escapeStart: position - 2)
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate \\u\(hex4(scalar)) in a string", at: start) }
            scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw fail("unpaired surrogate \\u\(hex4(scalar)) in a string", at: start)
        }
        return Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
    }

    /// Four hex digits after "\u".
    private mutating func hexQuad(escapeStart: Int) throws(Failure) -> UInt32 {
        guard bytes.count - position >= 4 else { throw fail("the input ends inside an escape sequence", at: escapeStart) }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw fail("invalid \\u escape (four hex digits are needed)", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    /// The length of the valid UTF-8 sequence at `offset` (a byte ≥ 0x80).
    private func utf8Length(at offset: Int) throws(Failure) -> Int {
        let lead = bytes[offset]
        let (length, low, high): (Int, UInt32, UInt32) = switch lead {
        case 0xC2...0xDF: (2, 0x80, 0x7FF)
        case 0xE0...0xEF: (3, 0x800, 0xFFFF)
        case 0xF0...0xF4: (4, 0x10000, 0x10FFFF)
        default: (0, 0, 0)
        }
        let invalid = fail("invalid UTF-8 (byte 0x\(hex(lead)))", at: offset)
        guard length > 0, bytes.count - offset >= length else { throw invalid }
        var scalar = UInt32(lead) & (0xFF >> (length + 1))
        for byte in bytes[(offset + 1)..<(offset + length)] {
            guard byte & 0xC0 == 0x80 else { throw invalid }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        guard (low...high).contains(scalar), !(0xD800...0xDFFF).contains(scalar) else { throw invalid }
        return length
    }

    /// The character at `offset` for a message: quoted ASCII, a valid non-ASCII character, or
    /// "invalid UTF-8" with the byte.
    private func shown(_ offset: Int) -> String {
        let byte = bytes[offset]
        if byte < 0x80 { return byte < 0x20 || byte == 0x7F ? "byte 0x\(hex(byte))" : "\"\(shownCharacter(byte))\"" }
        guard let length = try? utf8Length(at: offset) else { return "invalid UTF-8 (byte 0x\(hex(byte)))" }
        return "character \"\(String(decoding: bytes[offset..<offset + length], as: UTF8.self))\""
    }

    private func shownCharacter(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "\\u{\(hex(byte))}"
    }

    /// The text of the token from `start` to `position`, at most 40 bytes, for messages.
    private func text(_ start: Int) -> String {
        let end = min(position, start + 40)
        return String(decoding: bytes[start..<end], as: UTF8.self) + (position > end ? "..." : "")
    }

    private func hex(_ byte: UInt8) -> String { String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
    private func hex4(_ value: UInt32) -> String { String(value, radix: 16, uppercase: true).leftPadded(to: 4) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// How much one JSON document may hold, so that parsing work and memory stay proportional to
/// a sane document whatever the input.
package struct JSONLimits: Sendable {
    /// The deepest nesting of arrays and objects.
    let maximumDepth: Int
    /// The most values of any kind (numbers, strings, literals, arrays, objects).
    let maximumValueCount: Int
    /// The most arrays and objects.
    let maximumContainerCount: Int

    /// Limits of `maximumDepth` nesting, `maximumValueCount` values and `maximumContainerCount`
    /// arrays and objects.
    package init(maximumDepth: Int, maximumValueCount: Int, maximumContainerCount: Int) {
        self.maximumDepth = maximumDepth
        self.maximumValueCount = maximumValueCount
        self.maximumContainerCount = maximumContainerCount
    }
}
