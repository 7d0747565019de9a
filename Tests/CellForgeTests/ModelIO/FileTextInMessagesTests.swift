import CellForge
import Foundation
import Testing

/// Text taken from a file (an RTNeural layer type, a safetensors tensor name) that holds
/// control characters or bidirectional overrides appears escaped in error messages, never raw.
@Suite struct FileTextInMessagesTests {
    /// ESC [31m (a terminal colour), U+202E (right-to-left override), a line feed and U+2066.
    static let hostile = "x\u{1B}[31m\u{202E}evil\n\u{2066}y"

    static func expectNoRawControlText(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let raw = message.unicodeScalars.filter {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value) || [0x061C, 0x200E, 0x200F, 0x2028, 0x2029].contains($0.value)
        }
        #expect(raw.isEmpty, "raw \(raw.map { String($0.value, radix: 16) }) in \(message.debugDescription)", sourceLocation: sourceLocation)
        #expect(message.contains("\\u{1B}") && message.contains("\\u{202E}"), "\(message.debugDescription)", sourceLocation: sourceLocation)
    }

    /// `text` as a JSON string literal, control characters escaped.
    static func jsonLiteral(_ text: String) throws -> String {
        String(String(decoding: try JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast())
    }

    @Test func rtNeuralLayerTypeIsEscaped() throws {
        let type = try Self.jsonLiteral(Self.hostile)
        let json = "{\"in_shape\": [null, null, 1], \"layers\": [{\"type\": \(type), \"shape\": [null, null, 1], \"weights\": []}]}"
        do {
            _ = try RTNeuralModel.parameters(json: Data(json.utf8), as: Float.self)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("RTNeural layer 0 (\"x"), "\(error)")
            Self.expectNoRawControlText("\(error)")
        }
    }

    @Test func safeTensorsTensorNameIsEscaped() throws {
        let header = Array("{\(try Self.jsonLiteral(Self.hostile)): {\"dtype\": \"Q8\", \"shape\": [], \"data_offsets\": [0, 0]}}".utf8)
        var data = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        do {
            _ = try SafeTensors(data: data)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("unknown dtype"), "\(error)")
            Self.expectNoRawControlText("\(error)")
        }
    }

    @Test func kerasTensorNameIsEscaped() throws {
        var file = try KerasModelWeights.tensors(try ModelParameters<Float>.random(ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [2]), seed: 5))
        file["lstm/" + Self.hostile] = file["lstm/bias"]
        do {
            _ = try KerasModelWeights.parameters(from: file, as: Float.self)
            Issue.record("accepted")
        } catch {
            Self.expectNoRawControlText("\(error)")
        }
    }
}
