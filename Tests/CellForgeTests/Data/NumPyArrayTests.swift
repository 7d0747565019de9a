import CellForge
import Foundation
import Testing

/// `.npy` files written by NumPy (np.save and np.lib.format.write_array, versions 1.0 to 3.0)
/// against the values NumPy loads (Tests/Fixtures/data/expected.json); the writer against
/// np.save's bytes; hand-made headers for the dict literal's syntax; and every refusal.
@Suite struct NumPyArrayTests {
    @Test func goodFixturesMatchNumPy() throws {
        let expected = try DataFixtures.expected("npy")
        #expect(expected.count == 11)
        for (name, value) in expected.sorted(by: { $0.key < $1.key }) {
            let entry = try #require(value as? [String: Any], "\(name)")
            let values = try DataFixtures.doubles(entry["values"])
            let array = try NumPyArray.load(contentsOf: DataFixtures.url(name))
            #expect(array.shape == entry["shape"] as? [Int], "\(name)")
            #expect(array.dtype.rawValue == entry["dtype"] as? String, "\(name)")
            #expect(array.count == values.count, "\(name)")
            #expect(array.values(as: Double.self) == values, "\(name)")
            if array.dtype == .float32 { #expect(array.values(as: Float.self) == values.map { Float($0) }, "\(name)") }
            #expect(try NumPyArray(data: DataFixtures.offsetSlice(Data(contentsOf: DataFixtures.url(name)))) == array, "\(name)")
        }
    }

    @Test func writerMatchesNumPyAndReadsBack() throws {
        let references = try #require(DataFixtures.expected("writers")["npy"] as? [String: Any])
        #expect(references.count == 8)
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, value) in references.sorted(by: { $0.key < $1.key }) {
            let entry = try #require(value as? [String: Any], "\(name)")
            let values = try DataFixtures.doubles(entry["values"]), shape = try #require(entry["shape"] as? [Int])
            let url = folder.appendingPathComponent(name)
            if entry["dtype"] as? String == "float32" {
                try NumPyArray.write(values.map { Float($0) }, shape: shape, to: url)
            } else {
                try NumPyArray.write(values, shape: shape, to: url)
            }
            let written = try Data(contentsOf: url), reference = try Data(contentsOf: DataFixtures.url(name))
            #expect(written == reference, "\(name)")
            let array = try NumPyArray.load(contentsOf: url)
            #expect(array.shape == shape && array.values(as: Double.self) == values, "\(name)")
        }
    }

    @Test func writerRefusesBadArguments() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out.npy")
        ModelIOTestSupport.expectError(["shape mismatch", "6 for shape (2, 3)", "got 5"]) {
            try NumPyArray.write([Float](repeating: 0, count: 5), shape: [2, 3], to: url)
        }
        ModelIOTestSupport.expectError(["shape (2, -1)", "non-negative"]) { try NumPyArray.write([Float](), shape: [2, -1], to: url) }
        ModelIOTestSupport.expectError(["more than Int.max"]) { try NumPyArray.write([Double](), shape: [1 << 40, 1 << 40], to: url) }
        ModelIOTestSupport.expectError(["non-finite", "value 1", "out.npy"]) { try NumPyArray.write([0, Double.infinity], shape: [2], to: url) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    /// `.npy` bytes with `header` (not padded) and `payload`, in format version `version`.
    static func npy(_ header: String, _ payload: [UInt8] = [], version: UInt8 = 1) -> Data {
        let text = Array(header.utf8)
        var data = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
        let size = version == 1 ? 2 : 4
        for i in 0..<size { data.append(UInt8(truncatingIfNeeded: text.count >> (8 * i))) }
        return data + text + payload
    }

    @Test func headerIsParsedAsAPythonLiteral() throws {
        let one: [UInt8] = [0, 0, 0x80, 0x3F], two = one + [0, 0, 0, 0x40]
        for header in ["{'descr':'<f4','fortran_order':False,'shape':(2,)}",
                       "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,), }\n",
                       "  {'shape' : ( 2 , ) ,\n 'fortran_order' : False , 'descr' : '<f4' }   \n"] {
            let array = try NumPyArray(data: Self.npy(header, two))
            #expect(array.shape == [2] && array.values(as: Float.self) == [1, 2], "\(header)")
        }
        #expect(try NumPyArray(data: Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 1), }", two)).shape == [1, 2, 1])
        #expect(try NumPyArray(data: Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", one)).values(as: Double.self) == [1])
        #expect(try NumPyArray(data: Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", two, version: 2)).count == 2)
        let refusals: [(String, String)] = [
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "not a tuple"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "header key 'extra' is not one of"),
            ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", "'descr' appears twice"),
            ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "'fortran_order' is not True or False"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "shape dimension 0 is not a non-negative integer"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "shape dimension 0 overflows"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "expected \",\" or \"}\""),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", "expected end of header"),
            ("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}", "expected a value"),
            ("{'descr': 'f4', 'fortran_order': False, 'shape': (2,)}", "dtype 'f4' has no explicit byte order"),
            ("{'descr': '=f4', 'fortran_order': False, 'shape': (2,)}", "dtype '=f4' has no explicit byte order"),
            ("{'descr': '<f4', 'shape': (2,)}", "no 'fortran_order' key"),
            ("[1, 2]", "header is not a Python dict"),
            (String(repeating: "(", count: 40), "nesting deeper than 32"),
        ]
        for (header, phrase) in refusals {
            ModelIOTestSupport.expectError([phrase, "NumPy data"]) { _ = try NumPyArray(data: Self.npy(header, two)) }
        }
        let cut = Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF, 0x7B])
        ModelIOTestSupport.expectError(["header length 65535 exceeds the limit of 10000"]) { _ = try NumPyArray(data: cut) }
        let long = Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0x10, 0x27, 0x7B])
        ModelIOTestSupport.expectError(["header length 10000 runs past the end of the file (1 bytes follow it)"]) { _ = try NumPyArray(data: long) }
    }

    /// Each bad fixture and phrases its one-line message must contain.
    static let refusals: [(file: String, phrases: [String])] = [
        ("bad_int16.npy", ["dtype int16 ('<i2') is not supported", "float32 ('<f4')"]),
        ("bad_uint8.npy", ["dtype uint8 ('|u1')"]),
        ("bad_bool.npy", ["dtype bool ('|b1')"]),
        ("bad_complex64.npy", ["dtype complex64 ('<c8')"]),
        ("bad_float16.npy", ["dtype float16 ('<f2')"]),
        ("bad_object.npy", ["dtype object ('|O')"]),
        ("bad_structured.npy", ["structured dtype"]),
        ("bad_big_endian.npy", ["dtype big-endian float32 ('>f4') is not supported"]),
        ("bad_fortran.npy", ["Fortran order", "np.ascontiguousarray"]),
        ("bad_nan.npy", ["non-finite", "value 2 (index (1, 0)) is nan"]),
        ("bad_inf.npy", ["non-finite", "value 2 (index (2,)) is -inf"]),
        ("bad_magic.npy", ["not a .npy file", "93 4e 55 4d 50 5a"]),
        ("bad_version.npy", ["format version 4.0 is not supported"]),
        ("bad_short_data.npy", ["data of 14 bytes is shorter than the 16 bytes shape (4,) of float32 needs"]),
        ("bad_long_data.npy", ["data of 20 bytes is longer than the 16 bytes"]),
        ("bad_missing_shape.npy", ["header has no 'shape' key"]),
        ("bad_shape_overflow.npy", ["shape (4294967296, 4294967296, 8) of float64 overflows the byte count"]),
        ("bad_header_syntax.npy", ["header is not a Python literal", "expected a value", "found \"]\""]),
    ]

    @Test func badFixturesAreRefusedInOneLine() throws {
        for (file, phrases) in Self.refusals {
            let url = try DataFixtures.url(file)
            ModelIOTestSupport.expectError(phrases + ["NumPy file \"\(url.path)\""]) { _ = try NumPyArray.load(contentsOf: url) }
            let data = try Data(contentsOf: url)
            ModelIOTestSupport.expectError(phrases + ["NumPy data"]) { _ = try NumPyArray(data: DataFixtures.offsetSlice(data)) }
        }
    }
}
