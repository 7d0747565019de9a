import CellForge
import CellForgeGen
import Foundation
import Testing

/// A kernel manifest that is not valid JSON is refused in one line naming the file, the
/// problem and its byte offset (issue 24 item 9), not Foundation's "The data isn't in the
/// correct format" or a bare "not a JSON object".
@Suite struct ManifestBadJSONTests {
    /// One bad manifest: its bytes, the problem the message names, and the byte offset.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String, json: [UInt8], problem: String, offset: Int
        var testDescription: String { name }
        init(_ name: String, _ json: String, _ problem: String, at offset: Int) {
            self.init(name, Array(json.utf8), problem, at: offset)
        }
        init(_ name: String, _ json: [UInt8], _ problem: String, at offset: Int) {
            (self.name, self.json, self.problem, self.offset) = (name, json, problem, offset)
        }
    }

    static let cases: [Case] = [
        Case("NaN literal", #"{"kernels": [{"cell": "lstm", "hidden": NaN, "input": 8}]}"#,
             "\"N\": JSON has no NaN or Infinity", at: 40),
        Case("1e400", #"{"kernels": [{"cell": "lstm", "hidden": 1e400, "input": 8}]}"#,
             "number 1e400 is out of Double range", at: 40),
        Case("nesting over the limit", #"{"kernels": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}",
             "nesting deeper than 64 (the limit)", at: 75),
        Case("truncated", #"{"kernels": [{"cell": "lstm""#, "the input ends inside the object opened at byte 13", at: 28),
        Case("invalid UTF-8", Array(#"{"kernels": [], "registry": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
             "invalid UTF-8 (byte 0xC3)", at: 29),
        Case("empty file", "", "the input is empty", at: 0),
        Case("trailing comma", #"{"kernels": [],}"#, "trailing comma before \"}\"", at: 15),
        Case("duplicate key", #"{"kernels": [], "kernels": []}"#, "duplicate object key \"kernels\"", at: 16),
    ]

    @Test(arguments: cases) func badJSONNamesTheProblemAndItsByteOffset(_ bad: Case) {
        do {
            _ = try KernelManifest.parse(Data(bad.json), name: "k.json")
            Issue.record("accepted \(bad.name)")
        } catch {
            let message = "\(error)"
            #expect(message.contains("k.json: not valid JSON: \(bad.problem)"), "\(message)")
            #expect(message.contains(" at byte \(bad.offset) (line 1, column \(bad.offset + 1))"), "\(message)")
            #expect(!message.contains("\n"), "\(message)")
        }
    }
}
