@testable import CellForge
import Foundation
import Testing

/// CellForge's strict JSON parser: RFC 8259 only, every refusal one line saying which problem
/// and where (byte offset, line and column), limits on nesting, values and containers, and
/// numbers read bit-exactly.
@Suite struct JSONParserTests {
    static let limits = JSONLimits(maximumDepth: 512, maximumValueCount: 1 << 20, maximumContainerCount: 1 << 16)

    func parse(_ text: String, limits: JSONLimits = Self.limits) throws -> JSONValue {
        try parse(Data(text.utf8), limits: limits)
    }

    func parse(_ bytes: Data, limits: JSONLimits = Self.limits) throws -> JSONValue {
        try JSONValue.parse(bytes, what: "test document", limits: limits)
    }

    func expectRefused(_ bytes: Data, _ parts: [String], limits: JSONLimits = Self.limits,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let value = try parse(bytes, limits: limits)
            Issue.record("accepted as \(value.summary)", sourceLocation: sourceLocation)
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("invalid format: test document is not valid JSON: "), "\(message)", sourceLocation: sourceLocation)
            #expect(!message.contains("\n"), sourceLocation: sourceLocation)
            for part in parts { #expect(message.contains(part), "\(message) lacks \(part)", sourceLocation: sourceLocation) }
        }
    }

    func expectRefused(_ text: String, _ parts: [String], limits: JSONLimits = Self.limits,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        expectRefused(Data(text.utf8), parts, limits: limits, sourceLocation: sourceLocation)
    }

    @Test func emptyAndTruncatedInputSayWhereTheyEnd() {
        expectRefused("", ["the input is empty", "at byte 0"])
        expectRefused(" \n ", ["only whitespace"])
        expectRefused("{\"a\": [1, 2", ["the input ends inside the array opened at byte 6", "at byte 11"])
        expectRefused("{\"a\": ", ["the input ends inside the object opened at byte 0"])
        expectRefused("[\"abc", ["the input ends inside the string that starts at byte 1"])
        expectRefused("[1, 2", ["ends inside the array opened at byte 0"])
        expectRefused("[-", ["number - has no digits", "at byte 1"])
    }

    @Test func nonFiniteNumbersAreRefused() {
        expectRefused("[1, NaN]", ["\"N\"", "no NaN or Infinity", "at byte 4 (line 1, column 5)"])
        expectRefused("[Infinity]", ["no NaN or Infinity", "at byte 1"])
        expectRefused("[-Infinity]", ["no NaN or Infinity", "at byte 1"])
        expectRefused("[1e400]", ["number 1e400 is out of Double range", "at byte 1"])
        expectRefused("{\n  \"bias\": [0.5, -1.5e309]}", ["number -1.5e309 is out of Double range", "line 2, column 17"])
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try parse(ok) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        expectRefused(deep, ["nesting deeper than 512 (the limit)", "at byte 512"])
        // Far deeper than any stack would take recursively: refused at the limit all the same.
        expectRefused(String(repeating: "{\"a\":", count: 100_000), ["nesting deeper than 512"])
    }

    @Test func valueAndContainerCountsAreLimited() {
        let small = JSONLimits(maximumDepth: 512, maximumValueCount: 10, maximumContainerCount: 3)
        expectRefused("[" + (1...20).map(String.init).joined(separator: ",") + "]", ["more than 10 values (the limit)", "at byte 19"],
                      limits: small)
        expectRefused("[[],[],[]]", ["more than 3 arrays and objects (the limit)", "at byte 7"], limits: small)
    }

    @Test func invalidUTF8IsRefusedAtItsByte() {
        expectRefused(Data([0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D]), ["invalid UTF-8 (byte 0xFF)", "at byte 3"])
        expectRefused(Data([0x5B, 0x22, 0xC0, 0x80, 0x22, 0x5D]), ["invalid UTF-8 (byte 0xC0)", "at byte 2"])  // overlong
        expectRefused(Data([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]), ["invalid UTF-8 (byte 0xED)"])  // surrogate
        expectRefused(Data([0x5B, 0x22, 0xE2, 0x82, 0x22, 0x5D]), ["invalid UTF-8 (byte 0xE2)"])  // cut short
        expectRefused(Data([0xFE, 0x5B, 0x5D]), ["invalid UTF-8 (byte 0xFE)", "at byte 0"])
        expectRefused(Data([0xEF, 0xBB, 0xBF, 0x5B, 0x5D]), ["unexpected character \"\u{FEFF}\"", "at byte 0"])  // a BOM
    }

    @Test func looseSyntaxIsRefused() {
        expectRefused("[1, 2,]", ["trailing comma before \"]\"", "at byte 6"])
        expectRefused("{\"a\": 1,}", ["trailing comma before \"}\""])
        expectRefused("[01]", ["number 01 has a leading zero", "at byte 1"])
        expectRefused("[1.]", ["number 1. has no digits after \".\""])
        expectRefused("[1e+]", ["number 1e+ has no digits in its exponent"])
        expectRefused("[+1]", ["unexpected \"+\" where a value should be"])
        expectRefused("{} x", ["unexpected \"x\" after the end of the document", "at byte 3"])
        expectRefused("[1 2]", ["unexpected \"2\" in the array opened at byte 0 (expected \",\" or \"]\")"])
        expectRefused("{'a': 1}", ["unexpected \"'\" where an object key should be"])
        expectRefused("{\"a\" 1}", ["after an object key (expected \":\")"])
        expectRefused("[tru]", ["unexpected \"t\" where a value should be"])
        expectRefused("{\"a\": 1, \"a\": 2}", ["duplicate object key \"a\"", "at byte 9"])
        expectRefused("[\"a\nb\"]", ["control character 0x0A in a string", "at byte 3"])
        expectRefused("[\"\\x\"]", ["invalid escape \"\\x\""])
        expectRefused("[\"\\uD800\"]", ["unpaired surrogate \\uD800"])
        expectRefused("[\"\\uDC00\\u0041\"]", ["unpaired surrogate \\uDC00"])
        expectRefused("[\"\\u12G4\"]", ["invalid \\u escape"])
    }

    @Test func valuesAreReadAsWritten() throws {
        let value = try parse(" {\"s\": \"\\u00e9\\ud83d\\ude00\\n\\\"\\/\", \"n\": [1, -0.5, 2e3], \"m\": [1, \"x\", null, true, false], \"e\": [], \"o\": {}} ")
        let object = try #require(value.object)
        #expect(object["s"] == .string("é😀\n\"/"))
        #expect(object["n"] == .numbers([1, -0.5, 2000]), "an all-number array is stored as one [Double]")
        #expect(object["m"] == .array([.number(1), .string("x"), .null, .bool(true), .bool(false)]))
        #expect(object["e"] == .array([]))
        #expect(object["o"] == .object([:]))
        #expect(try parse("\"caf\u{E9} \u{1F600}\"") == .string("café 😀"))
    }

    /// Every finite Double printed in its shortest form reads back to the same bits, and
    /// decimal inputs between two doubles round to nearest (ties to even).
    @Test func numbersReadBackBitExactly() throws {
        var rng = SplitMix64(seed: 0x15_0E_2026)
        var doubles: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, 0.1, 1e23, 2.2250738585072014e-308, 9007199254740992]
        while doubles.count < 50_000 {
            let d = Double(bitPattern: rng.next())
            if d.isFinite { doubles.append(d) }
        }
        let text = "[" + doubles.map(\.description).joined(separator: ",") + "]"
        guard case let .numbers(read) = try parse(text) else { Issue.record("not an all-number array"); return }
        #expect(read.count == doubles.count)
        let wrong = zip(read, doubles).filter { $0.bitPattern != $1.bitPattern }
        #expect(wrong.isEmpty, "\(wrong.count) differ, first \(wrong.first.map { "\($0.0) for \($0.1)" } ?? "")")
        let rounded = try parse("[9007199254740993, 9007199254740995, 1e-400, 2.4703282292062328e-324]")
        #expect(rounded == .numbers([9007199254740992, 9007199254740996, 0, .leastNonzeroMagnitude]))
    }
}
