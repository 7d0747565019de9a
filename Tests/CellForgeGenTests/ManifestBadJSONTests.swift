import CellForge
import CellForgeGen
import Foundation
import Testing

/// A kernel manifest that is not valid JSON is refused in one line naming the file, the
/// problem and its byte offset (issue 24 item 9), not Foundation's "The data isn't in the
/// correct format" or a bare "not a JSON object".
@Suite struct ManifestBadJSONTests {
    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Each bad manifest and the end of its message: the problem, then where it is.
    static let cases: [([UInt8], String)] = [
        (utf8(#"{"kernels": [{"cell": "lstm", "hidden": NaN, "input": 8}]}"#),
         "\"N\": JSON has no NaN or Infinity (RFC 8259 numbers are finite) at byte 40 (line 1, column 41)"),
        (utf8(#"{"kernels": [{"cell": "lstm", "hidden": 1e400, "input": 8}]}"#),
         "number 1e400 is out of Double range at byte 40 (line 1, column 41)"),
        (utf8(#"{"kernels": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"),
         "nesting deeper than 64 (the limit) at byte 75 (line 1, column 76)"),
        (utf8(#"{"kernels": [{"cell": "lstm""#), "the input ends inside the object opened at byte 13 at byte 28 (line 1, column 29)"),
        (utf8(#"{"kernels": [], "registry": ""#) + [0xC3, 0x28] + utf8(#""}"#),
         "invalid UTF-8 (byte 0xC3) at byte 29 (line 1, column 30)"),
        ([], "the input is empty at byte 0 (line 1, column 1)"),
        (utf8(#"{"kernels": [],}"#), "trailing comma before \"}\" at byte 15 (line 1, column 16)"),
        (utf8("{\"kernels\": [],\n \"kernels\": []}"), "duplicate object key \"kernels\" at byte 17 (line 2, column 2)"),
    ]

    @Test(arguments: cases) func badJSONNamesTheProblemAndItsByteOffset(_ json: [UInt8], _ expected: String) throws {
        let error = try #require(throws: CellForgeError.self) { try KernelManifest.parse(Data(json), name: "k.json") }
        #expect("\(error)" == "k.json: not valid JSON: \(expected)")
    }
}
