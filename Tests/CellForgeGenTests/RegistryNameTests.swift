import CellForge
import CellForgeGen
import Foundation
import Testing

/// The manifest refuses registry names that would break the generated files at compile time:
/// non-identifiers, Swift keywords, names the generated code uses and kernel type names.
@Suite struct RegistryNameTests {
    /// The manifest with registry `name` and one LSTM H8 D8 Float kernel at 256 bits.
    func parse(registry name: String) throws -> KernelManifest {
        let json = "{\"registry\": \"\(name)\", \"vectorBits\": 256, \"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": 8}]}"
        return try KernelManifest.parse(Data(json.utf8), name: "k.json")
    }

    static let refused: [(String, String)] = [
        ("struct", "a Swift keyword"), ("_", "a Swift keyword"), ("Self", "a Swift keyword"), ("Any", "a Swift keyword"),
        ("Type", "a Swift keyword"), ("Float", "a name the generated code uses"), ("SIMD8", "a name the generated code uses"),
        ("KernelKey", "a name the generated code uses"), ("KernelRegistry", "a name the generated code uses"),
        ("precondition", "a name the generated code uses"), ("CellForgeKernels", "a name the generated code uses"),
        ("LSTM_H8_D8_Float", "names starting LSTM_ are kept for kernel types"),
        ("GRU_H1_D1_Double_V512", "names starting GRU_ are kept for kernel types"),
        ("9x", "not a Swift identifier"), ("", "not a Swift identifier"), ("My Kernels", "not a Swift identifier"),
        ("Kérnels", "not a Swift identifier"),
    ]

    @Test(arguments: refused) func refusedInOneLine(_ name: String, _ reason: String) {
        do {
            _ = try parse(registry: name)
            Issue.record("accepted registry \(name)")
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("k.json: \"registry\" must be a Swift type name, found a string \"\(name)\" ("), "\(text)")
            #expect(text.contains(reason) && !text.contains("\n"), "\(text)")
        }
    }

    @Test func ordinaryNamesAreAccepted() throws {
        for name in ["MyKernels", "_Kernels", "Kernels2", "LSTMKernels", "float"] {
            #expect(try parse(registry: name).registryName == name)
        }
    }
}
