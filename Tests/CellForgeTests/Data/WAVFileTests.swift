import CellForge
import Foundation
import Testing

/// WAV files written by Python's wave module, soundfile (libsndfile) and by hand with struct,
/// against the samples soundfile decodes (Tests/Fixtures/data/expected.json); the float
/// writer against the reference layout soundfile and SciPy read; and every refusal.
@Suite struct WAVFileTests {
    @Test func goodFixturesMatchSoundfile() throws {
        let expected = try DataFixtures.expected("wav")
        #expect(expected.count == 12)
        for (name, value) in expected.sorted(by: { $0.key < $1.key }) {
            let entry = try #require(value as? [String: Any], "\(name)")
            let channels = try #require(entry["samples"] as? [Any], "\(name)").map(DataFixtures.doubles)
            let file = try WAVFile.load(contentsOf: DataFixtures.url(name))
            #expect(file.sampleRate == entry["sample_rate"] as? Int, "\(name)")
            #expect(file.channelCount == entry["channels"] as? Int, "\(name)")
            #expect(file.frameCount == entry["frames"] as? Int, "\(name)")
            #expect(file.encoding.rawValue == entry["encoding"] as? String, "\(name)")
            #expect(file.channelCount == channels.count, "\(name)")
            for (c, samples) in channels.enumerated() {
                #expect(try file.channel(c, as: Double.self) == samples, "\(name) channel \(c)")
                #expect(try file.channel(c, as: Float.self) == samples.map { Float($0) }, "\(name) channel \(c) as Float")
            }
            #expect(try WAVFile(data: DataFixtures.offsetSlice(Data(contentsOf: DataFixtures.url(name)))) == file, "\(name)")
        }
    }

    @Test func channelsAreSelectedByIndex() throws {
        let stereo = try WAVFile.load(contentsOf: DataFixtures.url("pcm16_stereo.wav"))
        let left = try stereo.channel(0, as: Double.self), right = try stereo.channel(1, as: Double.self)
        #expect(left.count == 40 && right.count == 40 && left != right)
        #expect(left[0] == -1 && right[1] == 32767.0 / 32768)
        let mono = try WAVFile.load(contentsOf: DataFixtures.url("pcm24_mono.wav"))
        ModelIOTestSupport.expectError(["channel 1 requested, file has 1"]) { _ = try mono.channel(1, as: Float.self) }
        ModelIOTestSupport.expectError(["channel -1 requested, file has 1"]) { _ = try mono.channel(-1, as: Float.self) }
        ModelIOTestSupport.expectError(["channel 2 requested, file has 2"]) { _ = try stereo.channel(2, as: Double.self) }
    }

    @Test func writerMatchesReferenceAndReadsBack() throws {
        let writers = try DataFixtures.expected("writers")
        let entry = try #require(writers["wav"] as? [String: Any])
        let samples = try DataFixtures.doubles(entry["samples"]), rate = try #require(entry["sample_rate"] as? Int)
        let reference = try Data(contentsOf: DataFixtures.url(try #require(entry["file"] as? String)))
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let doubleURL = folder.appendingPathComponent("double.wav"), floatURL = folder.appendingPathComponent("float.wav")
        try WAVFile.write(samples, sampleRate: rate, to: doubleURL)
        try WAVFile.write(samples.map { Float($0) }, sampleRate: rate, to: floatURL)
        #expect(try Data(contentsOf: doubleURL) == reference)
        #expect(try Data(contentsOf: floatURL) == reference)
        let file = try WAVFile.load(contentsOf: floatURL)
        #expect(file.encoding == .float32 && file.channelCount == 1 && file.sampleRate == rate && file.frameCount == samples.count)
        #expect(try file.channel(0, as: Double.self) == samples)

        let empty = folder.appendingPathComponent("empty.wav")
        try WAVFile.write([Float](), sampleRate: 8000, to: empty)
        #expect(try WAVFile.load(contentsOf: empty).frameCount == 0)
        let random = (0..<1000).map { Float(sin(Double($0) * 0.37)) * 1.3 }
        try WAVFile.write(random, sampleRate: 48000, to: empty)
        #expect(try WAVFile.load(contentsOf: empty).channel(0, as: Float.self) == random)
    }

    @Test func writerRefusesBadArguments() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out.wav")
        ModelIOTestSupport.expectError(["sample rate 0", "out.wav"]) { try WAVFile.write([Float(0)], sampleRate: 0, to: url) }
        ModelIOTestSupport.expectError(["sample rate 2000000000"]) { try WAVFile.write([Float(0)], sampleRate: 2_000_000_000, to: url) }
        ModelIOTestSupport.expectError(["non-finite", "sample 1", "out.wav"]) { try WAVFile.write([0, Float.nan], sampleRate: 8000, to: url) }
        ModelIOTestSupport.expectError(["non-finite", "sample 2", "as Float"]) { try WAVFile.write([0, 1, 1e300], sampleRate: 8000, to: url) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    /// Each bad fixture and phrases its one-line message must contain.
    static let refusals: [(file: String, phrases: [String])] = [
        ("bad_pcm8.wav", ["8-bit PCM is not supported"]),
        ("bad_float64.wav", ["64-bit float is not supported"]),
        ("bad_ulaw.wav", ["format tag 0x0007 (µ-law) is not supported"]),
        ("bad_alaw.wav", ["format tag 0x0006 (A-law)"]),
        ("bad_ima_adpcm.wav", ["format tag 0x0011 (IMA ADPCM)"]),
        ("bad_pcm12.wav", ["12-bit PCM is not supported"]),
        ("bad_float16.wav", ["16-bit float is not supported"]),
        ("bad_rf64.wav", ["RF64 (64-bit RIFF) is not supported"]),
        ("bad_rifx.wav", ["RIFX (big-endian RIFF) is not supported"]),
        ("bad_not_wave.wav", ["RIFF form type \"AVI \" is not \"WAVE\""]),
        ("bad_no_fmt.wav", ["no \"fmt \" chunk"]),
        ("bad_no_data.wav", ["no \"data\" chunk"]),
        ("bad_zero_channels.wav", ["channel count 0"]),
        ("bad_zero_rate.wav", ["sample rate 0"]),
        ("bad_block_align.wav", ["block align 2 differs from 2 channels × 2 bytes = 4"]),
        ("bad_byte_rate.wav", ["byte rate 8000 differs", "= 16000"]),
        ("bad_truncated_frame.wav", ["data chunk of 10 bytes is not a whole number of 4-byte frames", "truncated"]),
        ("bad_truncated_file.wav", ["RIFF size", "runs past the end of the file", "truncated"]),
        ("bad_chunk_past_end.wav", ["chunk \"data\"", "declares 24 bytes but 16 remain"]),
        ("bad_extensible_valid_bits.wav", ["valid bits per sample 24 differ from the 32-bit container"]),
        ("bad_extensible_alaw.wav", ["WAVE_FORMAT_EXTENSIBLE subformat 0x0006 (A-law) is not supported"]),
        ("bad_nan.wav", ["non-finite", "frame 1, channel 0"]),
        ("bad_inf_stereo.wav", ["non-finite", "frame 1, channel 1"]),
    ]

    @Test func badFixturesAreRefusedInOneLine() throws {
        for (file, phrases) in Self.refusals {
            let url = try DataFixtures.url(file)
            ModelIOTestSupport.expectError(phrases + ["WAV file \"\(url.path)\""]) { _ = try WAVFile.load(contentsOf: url) }
            let data = try Data(contentsOf: url)
            ModelIOTestSupport.expectError(phrases + ["WAV data"]) { _ = try WAVFile(data: DataFixtures.offsetSlice(data)) }
        }
    }

    @Test func shortAndMissingFilesAreRefused() throws {
        ModelIOTestSupport.expectError(["0 bytes is shorter than the 12-byte RIFF/WAVE header"]) { _ = try WAVFile(data: Data()) }
        ModelIOTestSupport.expectError(["not a RIFF/WAVE file", "\"OggS\""]) { _ = try WAVFile(data: Data("OggS\0\0\0\0\0\0\0\0".utf8)) }
        let missing = try DataFixtures.url("no_such_file.wav")
        ModelIOTestSupport.expectError(["cannot read", "no such file"]) { _ = try WAVFile.load(contentsOf: missing) }
    }

    @Test func lastChunkMayLackItsPadByte() throws {
        var data = try Data(contentsOf: DataFixtures.url("pcm16_mono.wav"))
        data.append(contentsOf: Array("abcd".utf8) + [3, 0, 0, 0] + Array("xyz".utf8))
        let riffSize = UInt32(data.count - 8)
        data.replaceSubrange(4..<8, with: withUnsafeBytes(of: riffSize.littleEndian) { Array($0) })
        let original = try WAVFile.load(contentsOf: DataFixtures.url("pcm16_mono.wav"))
        #expect(try WAVFile(data: data).channel(0, as: Double.self) == original.channel(0, as: Double.self))
    }
}
