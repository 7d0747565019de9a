import CellForge
import CellForgeGen
import Foundation
import Testing

/// A manifest value of the wrong JSON type is named by its type and value ("found a string
/// "4"", "found a boolean true"), the same way for every field.
@Suite struct ManifestFieldTypeTests {
    static let wrongTypes: [(String, String)] = [
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": \"4\", \"input\": 8}]}",
         "k.json: kernels[0]: field \"hidden\" must be an integer from 1 to 1024, found a string \"4\""),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": true, \"input\": 8}]}",
         "k.json: kernels[0]: field \"hidden\" must be an integer from 1 to 1024, found a boolean true"),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": null}]}",
         "k.json: kernels[0]: field \"input\" must be an integer from 1 to 1024, found null"),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8.5, \"input\": 8}]}",
         "k.json: kernels[0]: field \"hidden\" must be an integer from 1 to 1024, found a number 8.5"),
        ("{\"kernels\": [{\"cell\": 3, \"hidden\": 8, \"input\": 8}]}",
         "k.json: kernels[0]: field \"cell\" must be lstm, rnn or gru, found a number 3"),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": 8, \"scalar\": false}]}",
         "k.json: kernels[0]: field \"scalar\" must be float or double, found a boolean false"),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": 8, \"vectorBits\": \"256\"}]}",
         "k.json: kernels[0]: field \"vectorBits\" must be 128, 256 or 512, found a string \"256\""),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": 8, \"registers\": [16]}]}",
         "k.json: kernels[0]: field \"registers\" must be 16 or 32, found an array"),
        ("{\"vectorBits\": true, \"kernels\": []}", "k.json: \"vectorBits\" must be 128, 256 or 512, found a boolean true"),
        ("{\"registry\": 5, \"kernels\": []}", "k.json: \"registry\" must be a string, found a number 5"),
        ("{\"kernels\": {\"cell\": \"lstm\"}}", "k.json: \"kernels\" must be a list of kernel entries, found an object"),
        ("{\"kernels\": [\"lstm\"]}", "k.json: kernels[0] must be an object, found a string \"lstm\""),
    ]

    @Test(arguments: wrongTypes) func wrongTypeNamesTheTypeFound(_ json: String, _ message: String) {
        #expect(throws: CellForgeError.invalidArgument(message)) { try KernelManifest.parse(Data(json.utf8), name: "k.json") }
    }

    /// A long string is cut in the message, which stays one short line.
    @Test func longStringIsCut() {
        let json = "{\"kernels\": [{\"cell\": \"\(String(repeating: "x", count: 10_000))\", \"hidden\": 8, \"input\": 8}]}"
        #expect(throws: CellForgeError.invalidArgument(
            "k.json: kernels[0]: field \"cell\" must be lstm, rnn or gru, found a string \"\(String(repeating: "x", count: 40))…\"")) {
            try KernelManifest.parse(Data(json.utf8), name: "k.json")
        }
    }
}
