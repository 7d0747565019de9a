import Foundation

/// A WAV `fmt ` chunk, validated: an encoding CellForge reads, at least one channel, a
/// positive sample rate, and block align and byte rate consistent with them.
struct WAVFormat {
    let encoding: WAVFile.Encoding
    let channelCount: Int
    let sampleRate: Int

    /// What CellForge reads, for messages.
    static let supported = "CellForge reads 16-, 24- and 32-bit integer PCM and 32-bit IEEE float"

    init(_ chunk: Data, fail: (String) -> CellForgeError) throws {
        guard chunk.count >= 16 else { throw fail("fmt chunk of \(chunk.count) bytes is shorter than 16") }
        let tag = chunk.uint16(at: 0), bits = chunk.uint16(at: 14)
        var code = tag
        if tag == 0xFFFE {
            guard chunk.count >= 40, chunk.uint16(at: 16) >= 22 else {
                throw fail("WAVE_FORMAT_EXTENSIBLE fmt chunk of \(chunk.count) bytes is shorter than 40")
            }
            let validBits = chunk.uint16(at: 18)
            guard validBits == bits else {
                throw fail("WAVE_FORMAT_EXTENSIBLE valid bits per sample \(validBits) differ from the \(bits)-bit container: "
                    + "CellForge reads samples that fill their container")
            }
            let guidTail = chunk[(chunk.startIndex + 26)..<(chunk.startIndex + 40)]
            guard guidTail.elementsEqual(Self.guidTail) else {
                throw fail("WAVE_FORMAT_EXTENSIBLE subformat GUID is not a standard WAVE format GUID: \(Self.supported)")
            }
            code = chunk.uint16(at: 24)
        }
        let what = tag == 0xFFFE ? "WAVE_FORMAT_EXTENSIBLE subformat" : "format tag"
        switch (code, bits) {
        case (1, 16): encoding = .pcm16
        case (1, 24): encoding = .pcm24
        case (1, 32): encoding = .pcm32
        case (3, 32): encoding = .float32
        case (1, 8): throw fail("8-bit PCM is not supported: \(Self.supported)")
        case (1, _): throw fail("\(bits)-bit PCM is not supported: \(Self.supported)")
        case (3, 64): throw fail("64-bit float is not supported: \(Self.supported)")
        case (3, _): throw fail("\(bits)-bit float is not supported: \(Self.supported)")
        default:
            let name = Self.tagNames[code].map { " (\($0))" } ?? ""
            throw fail("\(what) 0x\(String(code, radix: 16, uppercase: true).zeroPadded(to: 4))\(name) is not supported: "
                + "\(Self.supported) (tag 1, 3, or 0xFFFE with either)")
        }
        channelCount = chunk.uint16(at: 2)
        sampleRate = chunk.uint32(at: 4)
        let byteRate = chunk.uint32(at: 8), blockAlign = chunk.uint16(at: 12)
        guard channelCount > 0 else { throw fail("channel count 0: a WAV file needs at least 1") }
        guard sampleRate > 0 else { throw fail("sample rate 0: must be positive") }
        let frameBytes = channelCount * encoding.bytesPerSample
        guard blockAlign == frameBytes else {
            throw fail("block align \(blockAlign) differs from \(channelCount) channels × \(encoding.bytesPerSample) bytes = \(frameBytes)")
        }
        guard byteRate == sampleRate * frameBytes else {
            throw fail("byte rate \(byteRate) differs from sample rate \(sampleRate) × block align \(frameBytes) = \(sampleRate * frameBytes)")
        }
    }

    /// The last 14 bytes every standard WAVE subformat GUID shares (after its 2-byte tag).
    static let guidTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]

    /// Names of common format tags CellForge does not read.
    static let tagNames: [Int: String] = [
        0x0002: "Microsoft ADPCM", 0x0006: "A-law", 0x0007: "µ-law", 0x0011: "IMA ADPCM", 0x0031: "GSM 6.10",
        0x0050: "MPEG", 0x0055: "MPEG Layer 3", 0x0092: "Dolby AC-3", 0xFFFE: "WAVE_FORMAT_EXTENSIBLE",
    ]
}
