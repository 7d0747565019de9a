import CellForge
import Foundation
import Testing

/// Reading and writing the safetensors format: round trips, byte-exact agreement with
/// files PyTorch wrote, the dtype rules, validation errors and atomic writes.
@Suite struct SafeTensorsTests {
    typealias Tensor = SafeTensors.Tensor

    /// A small file with both dtypes, a scalar, an empty tensor and metadata.
    static func sample() throws -> SafeTensors {
        SafeTensors(tensors: [
            "w": try Tensor(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-3, -7] as [Float]),
            "b": try Tensor(shape: [3], values: [0.1, 0.2, 0.3] as [Double]),
            "scalar": try Tensor(shape: [], values: [42] as [Float]),
            "empty": try Tensor(shape: [0, 4], values: [] as [Float]),
        ], metadata: ["format": "pt", "note": "quote \" backslash \\ newline \n"])
    }

    @Test func roundTripKeepsEveryTensorAndTheMetadata() throws {
        let file = try Self.sample()
        let data = try file.serialized()
        let read = try SafeTensors(data: data)
        #expect(read == file)
        #expect(read["w"]?.values(as: Float.self) == [1, -2, 3.5, 0, 1e-3, -7])
        #expect(read["b"]?.values(as: Double.self) == [0.1, 0.2, 0.3])
        #expect(read["scalar"]?.shape == [] && read["scalar"]?.values(as: Double.self) == [42])
        #expect(read["empty"]?.elementCount == 0)
        #expect(try read.serialized() == data, "serialization is deterministic")
        #expect(try SafeTensors(data: (Data([1, 2, 3]) + data)[3...]) == file, "a slice of a larger buffer reads the same")
    }

    @Test func layoutFollowsTheReferenceImplementation() throws {
        let data = try Self.sample().serialized()
        let n = Int(data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect(n % 8 == 0, "header padded to a multiple of 8")
        let header = String(decoding: data[8..<(8 + n)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"format":"pt","note":"#))
        // F64 before F32, then by name; offsets back to back.
        #expect(header.contains(#""b":{"dtype":"F64","shape":[3],"data_offsets":[0,24]},"empty":{"dtype":"F32","shape":[0,4],"data_offsets":[24,24]},"scalar":{"dtype":"F32","shape":[],"data_offsets":[24,28]},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[28,52]}}"#))
        #expect(data.count == 8 + n + 52)
    }

    /// Reading a file PyTorch's safetensors wrote and writing it back gives the same bytes.
    @Test(arguments: WeightsTestSupport.fixtureNames) func pytorchFilesRoundTripByteForByte(_ name: String) throws {
        let url = try WeightsTestSupport.fixtureWeightsURL(name)
        let original = try Data(contentsOf: url)
        #expect(try SafeTensors(data: original).serialized() == original)
    }

    @Test func valuesConvertBetweenDTypes() throws {
        let third = 1.0 / 3
        let f64 = try Tensor(shape: [1], values: [third])
        #expect(f64.dtype == .f64 && f64.values(as: Double.self) == [third])
        #expect(f64.values(as: Float.self) == [Float(third)], "F64 read as Float rounds to nearest")
        let f32 = try Tensor(shape: [1], values: [third], dtype: .f32)
        #expect(f32.dtype == .f32 && f32.values(as: Double.self) == [Double(Float(third))])
        #expect(try Tensor(shape: [1], values: [Float(0.1)]).dtype == .f32)
        #expect(f32.description == "F32 [1]")
    }

    @Test func tensorShapeMustMatchTheValues() {
        #expect(throws: CellForgeError.self) { try Tensor(shape: [2, 2], values: [1, 2, 3] as [Float]) }
        #expect(throws: CellForgeError.self) { try Tensor(shape: [-1], values: [] as [Float]) }
        #expect(throws: CellForgeError.self) { try Tensor(shape: [Int.max, 2], values: [] as [Float]) }
    }

    /// A file from a header string and data bytes, the length prefix computed.
    static func file(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
        let h = Array(header.utf8)
        var out = Data()
        withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
        return out + h + data
    }

    static func expectInvalid(_ data: Data, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SafeTensors(data: data)
            Issue.record("accepted an invalid file", sourceLocation: sourceLocation)
        } catch let error as CellForgeError {
            let message = error.description
            #expect(!message.contains("\n"), "one line: \(message)", sourceLocation: sourceLocation)
            for f in fragments {
                #expect(message.contains(f), "\"\(message)\" should mention \(f)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("threw \(error), not a CellForgeError", sourceLocation: sourceLocation)
        }
    }

    @Test func invalidFilesAreRefusedWithAMessageNamingTheProblem() {
        let eight = [UInt8](repeating: 0, count: 8)
        func entry(_ dtype: String = "\"F32\"", _ shape: String = "[2]", _ offsets: String = "[0,8]") -> String {
            #"{"t":{"dtype":\#(dtype),"shape":\#(shape),"data_offsets":\#(offsets)}}"#
        }
        Self.expectInvalid(Data([1, 2, 3]), ["shorter than its 8-byte header length"])
        Self.expectInvalid(Self.file(header: "{}", declaredLength: 3), ["header length 3", "2 bytes after it"])
        Self.expectInvalid(Self.file(header: "{}", declaredLength: .max), ["header length 18446744073709551615"])
        Self.expectInvalid(Self.file(header: "{}", declaredLength: 0), ["not valid JSON"])
        Self.expectInvalid(Self.file(header: #"{"t":"#), ["not valid JSON"])
        Self.expectInvalid(Self.file(header: "[1, 2]"), ["not a JSON object"])
        Self.expectInvalid(Self.file(header: #"{"t": 3}"#), ["\"t\"", "not a JSON object"])
        Self.expectInvalid(Self.file(header: entry("\"BF16\""), data: eight), ["\"t\"", "BF16 is not supported"])
        Self.expectInvalid(Self.file(header: entry("\"F33\""), data: eight), ["\"t\"", "unknown dtype \"F33\""])
        Self.expectInvalid(Self.file(header: entry("null"), data: eight), ["\"t\"", "dtype"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[-2]"), data: eight), ["\"t\"", "non-negative"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[2.5]"), data: eight), ["\"t\"", "non-negative integers"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[true]"), data: eight), ["\"t\"", "non-negative integers"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[4294967296,4294967296]"), data: eight), ["\"t\"", "more elements"])
        Self.expectInvalid(Self.file(header: entry("\"F64\"", "[4503599627370496,512]"), data: eight), ["\"t\"", "overflows"])
        Self.expectInvalid(Self.file(header: entry("\"F64\"", "[1152921504606846976,2]"), data: eight), ["\"t\"", "integers below 2^53"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[2]", "[0,16]"), data: eight), ["\"t\"", "do not fit the 8-byte"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[2]", "[8,0]"), data: eight), ["\"t\"", "do not fit"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[2]", "[-8,0]"), data: eight), ["\"t\"", "non-negative integers"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[2]", "[0]"), data: eight), ["\"t\"", "data_offsets"])
        Self.expectInvalid(Self.file(header: entry("\"F32\"", "[1]", "[0,8]"), data: eight), ["\"t\"", "hold 8 bytes", "needs 4"])
        Self.expectInvalid(Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                                     data: eight), ["\"a\" and \"b\" overlap"])
        Self.expectInvalid(Self.file(header: #"{"__metadata__":{"k":1}}"#), ["__metadata__", "\"k\"", "not a string"])
        Self.expectInvalid(Self.file(header: #"{"bad\nname":4}"#), [#""bad\nname""#])
    }

    @Test func unreadableFileIsReported() {
        let url = URL(fileURLWithPath: "/nonexistent-cellforge/model.safetensors")
        #expect(throws: CellForgeError.self) { try SafeTensors(contentsOf: url) }
    }

    @Test func writeReplacesTheFileAtomically() throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        let first = try Self.sample()
        try first.write(to: url)
        #expect(try SafeTensors(contentsOf: url) == first)
        var second = first
        second["extra"] = try Tensor(shape: [1], values: [5] as [Float])
        try second.write(to: url)
        #expect(try SafeTensors(contentsOf: url) == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
    }

    @Test func failedWritesLeaveThePreviousFileAndNoTemporaryFile() throws {
        let folder = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try Self.sample().write(to: url)
        let before = try Data(contentsOf: url)

        // Refused before writing: a tensor may not be called __metadata__.
        var bad = try Self.sample()
        bad["__metadata__"] = try Tensor(shape: [1], values: [1] as [Float])
        #expect(throws: CellForgeError.self) { try bad.write(to: url) }
        #expect(try Data(contentsOf: url) == before)

        // Fails at the rename: the destination is a non-empty folder.
        let occupied = folder.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        try Data([1]).write(to: occupied.appendingPathComponent("keep"))
        #expect(throws: CellForgeError.self) { try Self.sample().write(to: occupied) }
        #expect(try Data(contentsOf: occupied.appendingPathComponent("keep")) == Data([1]))

        // Fails at creating the temporary file: the folder does not exist.
        #expect(throws: CellForgeError.self) {
            try Self.sample().write(to: folder.appendingPathComponent("missing/model.safetensors"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["model.safetensors", "occupied"])
        #expect(try Data(contentsOf: url) == before)
    }

    @Test func missingFixtureFolderFailsInsteadOfSkipping() throws {
        let root = try WeightsTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let package = root.appendingPathComponent("pkg")
        try FileManager.default.createDirectory(at: package.appendingPathComponent("Tests/T"), withIntermediateDirectories: true)
        try Data().write(to: package.appendingPathComponent("Package.swift"))
        #expect(throws: FixtureError.self) {
            try WeightsTestSupport.fixturesFolder(filePath: package.appendingPathComponent("Tests/T/X.swift").path)
        }
    }
}
