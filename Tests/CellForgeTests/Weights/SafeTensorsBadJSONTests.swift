import CellForge
import Foundation
import Testing

/// A safetensors header that is not valid JSON is refused in one line naming the problem and
/// its byte offset in the header (issue 24 item 9), not Foundation's "The data isn't in the
/// correct format".
@Suite struct SafeTensorsBadJSONTests {
    /// One bad header: its bytes, the problem the message names, and the byte offset.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String, header: [UInt8], problem: String, offset: Int
        var testDescription: String { name }
        init(_ name: String, _ header: String, _ problem: String, at offset: Int) {
            self.init(name, Array(header.utf8), problem, at: offset)
        }
        init(_ name: String, _ header: [UInt8], _ problem: String, at offset: Int) {
            (self.name, self.header, self.problem, self.offset) = (name, header, problem, offset)
        }
    }

    static let entry = #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
    static let cases: [Case] = [
        Case("NaN literal", #"{"t":{"dtype":"F32","shape":[NaN],"data_offsets":[0,8]}}"#,
             "\"N\": JSON has no NaN or Infinity", at: 29),
        Case("1e400", #"{"t":{"dtype":"F32","shape":[1e400],"data_offsets":[0,8]}}"#,
             "number 1e400 is out of Double range", at: 29),
        Case("nesting over the limit", #"{"m":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}",
             "nesting deeper than 64 (the limit)", at: 68),
        Case("truncated", #"{"t":{"dtype":"F32""#, "the input ends inside the object opened at byte 5", at: 19),
        Case("invalid UTF-8", Array(#"{"t":{"dtype":""#.utf8) + [0xFF] + Array(#""}}"#.utf8), "invalid UTF-8 (byte 0xFF)", at: 15),
        Case("empty header", "", "the input is empty", at: 0),
        Case("trailing comma", entry + ",}", "trailing comma before \"}\"", at: 54),
        Case("duplicate key", entry + #","t":{}}"#, "duplicate object key \"t\"", at: 54),
    ]

    @Test(arguments: cases) func badJSONNamesTheProblemAndItsByteOffset(_ bad: Case) throws {
        var file = Data()
        withUnsafeBytes(of: UInt64(bad.header.count).littleEndian) { file.append(contentsOf: $0) }
        file += bad.header + [UInt8](repeating: 0, count: 8)
        let message = "\(try #require(throws: CellForgeError.self) { try SafeTensors(data: file) })"
        #expect(message.hasPrefix("invalid format: safetensors header is not valid JSON: \(bad.problem)"), "\(message)")
        #expect(message.hasSuffix(" at byte \(bad.offset) (line 1, column \(bad.offset + 1))"), "\(message)")
    }

    /// An offset or dimension that is not exactly an integer below 2^53 is refused, not rounded.
    @Test(arguments: ["[2.5]", "[true]", "[9007199254740993]", "[1e300]"]) func inexactIntegersAreRefused(_ shape: String) {
        var file = Data()
        let header = Array(#"{"t":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,8]}}"#.utf8)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file += header + [UInt8](repeating: 0, count: 8)
        #expect(throws: CellForgeError.self) { _ = try SafeTensors(data: file) }
        do { _ = try SafeTensors(data: file) } catch {
            #expect("\(error)".contains("shape dimensions must be non-negative integers"), "\(error)")
        }
    }
}
