import CellForge
import Foundation
import Testing

/// Thousands of corrupted safetensors files, generated deterministically from valid ones
/// (written by `SafeTensors` and by PyTorch): every one must be refused with a one-line
/// `CellForgeError`, or, where a random mutation happens to leave a valid file, parse to
/// tensors that fit inside the file and survive a write/read round trip. A crash fails
/// the whole run. Tensors that fit inside the file bound what the reader allocates.
@Suite struct SafeTensorsFuzzTests {
    /// What the probes saw, for the final sanity checks.
    struct Tally { var refused = 0, accepted = 0 }

    @Test func corruptedFilesAreRefusedOrParseConsistently() throws {
        var rng = SplitMix64(seed: 0x5AFE_7E45)
        var tally = Tally()
        let small = try SafeTensorsTests.sample().serialized()
        let bases = try [small, PyTorchWeights.tensors(.random(kind: .gru, hiddenSize: 3, inputSize: 2, seed: 1) as CellParameters<Double>).serialized()]
            + WeightsTestSupport.fixtureNames.map { try Data(contentsOf: WeightsTestSupport.fixtureWeightsURL($0)) }

        // Every truncation of the small file.
        for n in 0..<small.count { probe(small.prefix(n), mustThrow: true, "truncated to \(n)", &tally) }
        // Random byte flips, half of them in the header.
        for k in 0..<1000 {
            var data = bases[Int(rng.next() % UInt64(bases.count))]
            let headerEnd = 8 + Self.headerLength(data)
            for _ in 0...(rng.next() % 4) {
                let at = rng.next() % 2 == 0 ? Int(rng.next() % UInt64(headerEnd)) : Int(rng.next() % UInt64(data.count))
                data[at] ^= UInt8(truncatingIfNeeded: rng.next() % 255 + 1)
            }
            probe(data, mustThrow: false, "byte flips #\(k)", &tally)
        }
        // Wrong header lengths.
        for k in 0..<300 {
            var data = bases[k % bases.count]
            let n = UInt64(Self.headerLength(data)), size = UInt64(data.count - 8)
            let choices: [UInt64] = [0, 1, .max, UInt64(Int.max), 1 << 40, 100_000_001, size + 1, size + 1 + rng.next() % 1000,
                                     n &- 1, n + 1, n + rng.next() % 16, rng.next()]
            let declared = choices[Int(rng.next() % UInt64(choices.count))]
            withUnsafeBytes(of: declared.littleEndian) { data.replaceSubrange(0..<8, with: $0) }
            probe(data, mustThrow: declared > size, "header length \(declared)", &tally)
        }
        // Edited header text: deletions, insertions, odd numbers and dtypes.
        for k in 0..<700 {
            let base = bases[Int(rng.next() % UInt64(bases.count))]
            var header = Array(base[8..<(8 + Self.headerLength(base))])
            for _ in 0...(rng.next() % 3) { Self.edit(&header, &rng) }
            probe(Self.file(header, base[(8 + Self.headerLength(base))...]), mustThrow: false, "edited header #\(k)", &tally)
        }
        // Targeted invalid entries, each of which must be refused.
        for k in 0..<1000 { probe(Self.invalidFile(&rng), mustThrow: true, "invalid entry #\(k)", &tally) }

        #expect(tally.refused + tally.accepted >= 3000)
        #expect(tally.refused > 2000 && tally.accepted > 0, "refused \(tally.refused), accepted \(tally.accepted)")
    }

    /// Parses `data`: a `CellForgeError` (one line) passes; so does a file that parses
    /// consistently, unless `mustThrow`; anything else is recorded.
    func probe(_ data: Data, mustThrow: Bool, _ what: String, _ tally: inout Tally) {
        let parsed: SafeTensors
        do { parsed = try SafeTensors(data: Data(data)) } catch let error as CellForgeError {
            tally.refused += 1
            #expect(!error.description.contains("\n"), "\(what): \(error.description)")
            return
        } catch {
            Issue.record("\(what): threw \(error), not a CellForgeError")
            return
        }
        tally.accepted += 1
        #expect(!mustThrow, "\(what): accepted")
        let total = parsed.tensors.values.reduce(0) { $0 + $1.bytes.count }
        #expect(total <= data.count - 8, "\(what): \(total) bytes of tensors from a \(data.count)-byte file")
        for (name, t) in parsed.tensors {
            #expect(t.elementCount == t.shape.reduce(1, *) && t.bytes.count == t.elementCount * t.dtype.size, "\(what): \(name)")
        }
        #expect((try? SafeTensors(data: parsed.serialized())) == parsed, "\(what): round trip")
    }

    static func headerLength(_ data: Data) -> Int {
        Int(data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    static func file(_ header: [UInt8], _ data: Data) -> Data {
        var out = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        return out + header + data
    }

    /// One random edit of a header's bytes.
    static func edit(_ header: inout [UInt8], _ rng: inout SplitMix64) {
        let tokens = ["{", "}", "[", "]", ",", ":", "\"", "-", "0", "9", " ", "\\", "e", "null", "true", "-1",
                      "18446744073709551616", "9223372036854775807", "1e400", "2.5", "\"F16\"", "\"BF16\"", "\"F64\"",
                      "\"__metadata__\"", "\u{FF}"]
        let at = header.isEmpty ? 0 : Int(rng.next() % UInt64(header.count))
        switch rng.next() % 3 {
        case 0 where !header.isEmpty:
            header.removeSubrange(at..<min(header.count, at + 1 + Int(rng.next() % 4)))
        case 1:
            header.insert(contentsOf: Array(tokens[Int(rng.next() % UInt64(tokens.count))].utf8), at: at)
        default:   // replace a run of digits with an odd number
            guard let start = header[at...].firstIndex(where: { (48...57).contains($0) }) else { return }
            let end = header[start...].firstIndex { !(48...57).contains($0) } ?? header.count
            let numbers = ["-8", "0", "1.5", "1e3", "true", "\"8\"", "4294967296", "9223372036854775807", "99999999999999999999"]
            header.replaceSubrange(start..<end, with: Array(numbers[Int(rng.next() % UInt64(numbers.count))].utf8))
        }
    }

    /// A file whose header has one deliberately invalid entry (or length, or metadata).
    static func invalidFile(_ rng: inout SplitMix64) -> Data {
        // Three valid F32 tensors over 40 bytes of data: a [2, 2] at 0..16, b [4] at 16..32, c [2] at 32..40.
        var specs: [(name: String, dtype: String, shape: String, offsets: String)] = [
            ("a", "\"F32\"", "[2,2]", "[0,16]"), ("b", "\"F32\"", "[4]", "[16,32]"), ("c", "\"F32\"", "[2]", "[32,40]")]
        let data = (0..<40).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let t = Int(rng.next() % 3)
        let big = 40 + Int(rng.next() % 1_000_000)
        var prefix = "", suffix = "", declared: UInt64?
        switch rng.next() % 11 {
        case 0: specs[t].offsets = "[\(big),\(big + 16)]"                                  // past the end
        case 1: specs[1].offsets = "[\(4 * Int(rng.next() % 4)),\(16 + 4 * Int(rng.next() % 4))]"  // overlaps a
        case 2: specs[t].offsets = ["[-16,0]", "[0,-16]", "[-1,15]"][Int(rng.next() % 3)]   // negative
        case 3: specs[0].offsets = "[16,0]"                                                 // begin > end
        case 4: specs[t].shape = ["[4294967296,4294967296]", "[9223372036854775807,2]", "[4611686018427387904]",
                                  "[3037000500,3037000500]", "[65536,65536,65536,65536]"][Int(rng.next() % 5)]  // overflow
        case 5: specs[t].dtype = ["\"BF16\"", "\"F16\"", "\"I64\"", "\"U8\"", "\"BOOL\"", "\"f32\"", "\"\"", "32", "null",
                                  "true", "[\"F32\"]"][Int(rng.next() % 11)]                // wrong dtype
        case 6: specs[t].shape = "[\(big)]"                                                 // byte count mismatch
        case 7: specs[t].offsets = ["[0,16.5]", "[\"0\",16]", "[true,16]", "null", "[0]", "[0,16,32]", "{}"][Int(rng.next() % 7)]
        case 8: specs[t].shape = ["[-4]", "[2.5]", "[\"4\"]", "null", "4", "[[4]]"][Int(rng.next() % 6)]
        case 9: prefix = ["\"__metadata__\":{\"k\":1},", "\"__metadata__\":[],", "\"x\":7,", "\"y\":{\"shape\":[1]},"][Int(rng.next() % 4)]
        default: declared = [UInt64.max, 1 << 33, 100_000_001, 1 << 20][Int(rng.next() % 4)]  // header length past the end
            suffix = String(repeating: " ", count: Int(rng.next() % 8))
        }
        let entries = specs.map { "\"\($0.name)\":{\"dtype\":\($0.dtype),\"shape\":\($0.shape),\"data_offsets\":\($0.offsets)}" }
        let header = Array(("{" + prefix + entries.joined(separator: ",") + "}" + suffix).utf8)
        var out = file(header, Data(data))
        if let declared { withUnsafeBytes(of: declared.littleEndian) { out.replaceSubrange(0..<8, with: $0) } }
        return out
    }
}
