import Foundation

/// A WAV file's audio: RIFF/WAVE with 16-, 24- or 32-bit integer PCM or 32-bit IEEE float
/// samples, any number of channels.
///
/// Read: format tag 1 (PCM), 3 (IEEE float) or 0xFFFE (WAVE_FORMAT_EXTENSIBLE with the PCM or
/// IEEE-float subformat GUID and valid bits equal to the container size). Chunks other than
/// `fmt ` and `data` (LIST, fact, PEAK, …) are skipped, each with its pad byte when its size is
/// odd, and may come before, between or after those two. Refused, each in one line: other
/// containers (RF64, RIFX), other tags (A-law, µ-law, ADPCM, …), 8-bit PCM, 64-bit float and
/// other depths, zero channels, sample rate 0, a block align or byte rate that disagrees with
/// channels × bytes per sample, a `data` chunk that is not a whole number of frames, a chunk
/// or RIFF size running past the end of the file, and non-finite float samples.
///
/// Written (`write(_:sampleRate:to:)`): mono 32-bit IEEE float, which soundfile, SciPy and
/// NumPy-based tools read as the values given.
public struct WAVFile: Equatable, Sendable {
    /// How the samples are stored.
    public enum Encoding: String, Equatable, Sendable, CaseIterable {
        /// Signed 16-bit integer PCM.
        case pcm16
        /// Signed 24-bit integer PCM (three bytes a sample).
        case pcm24
        /// Signed 32-bit integer PCM.
        case pcm32
        /// 32-bit IEEE float.
        case float32

        /// Bytes one sample takes.
        public var bytesPerSample: Int {
            switch self {
            case .pcm16: 2
            case .pcm24: 3
            case .pcm32, .float32: 4
            }
        }
    }

    /// Frames per second, at least 1.
    public let sampleRate: Int
    /// Samples per frame, at least 1.
    public let channelCount: Int
    /// Frames in the file (may be 0).
    public let frameCount: Int
    /// How `samples` are stored.
    public let encoding: Encoding
    /// The `data` chunk: `frameCount` frames of `channelCount` samples each, interleaved,
    /// little-endian in `encoding`. A slice of the buffer read: its indices need not start at 0.
    public let samples: Data

    /// The largest WAV file read: 4 GiB + 8 bytes, the most a RIFF header's 32-bit size describes.
    public static var maximumFileSize: Int { (1 << 32) + 8 }

    /// Reads the WAV file at `url` (`RegularFile.read(_:maximumSize:)` with `maximumFileSize`);
    /// see the type's documentation for what is accepted.
    /// - Throws: `CellForgeError.invalidArgument` if the file cannot be read, otherwise a one-line
    ///   `CellForgeError` naming the file, the field at fault, what was expected and what was found.
    public static func load(contentsOf url: URL) throws -> WAVFile {
        try WAVFile(data: RegularFile.read(url, maximumSize: maximumFileSize), source: "WAV file \"\(url.path)\"")
    }

    /// Parses WAV bytes; see the type's documentation for what is accepted. The samples share
    /// `data`'s buffer.
    /// - Throws: a one-line `CellForgeError` naming the field at fault, what was expected and what was found.
    public init(data: Data) throws {
        try self.init(data: data, source: "WAV data")
    }

    /// Parses WAV bytes, naming them `source` in messages.
    init(data: Data, source: String) throws {
        func fail(_ message: String) -> CellForgeError { .invalidFormat("\(source): \(message)") }
        guard data.count <= Self.maximumFileSize else {
            throw fail("its \(data.count) bytes exceed the limit of \(Self.maximumFileSize)")
        }
        let chunks = try RIFFChunks(data, fail: fail)
        let format = try WAVFormat(chunks.format, fail: fail)
        let frameBytes = format.channelCount * format.encoding.bytesPerSample
        guard chunks.samples.count % frameBytes == 0 else {
            throw fail("data chunk of \(chunks.samples.count) bytes is not a whole number of \(frameBytes)-byte frames "
                + "(\(format.channelCount) channels × \(format.encoding.bytesPerSample) bytes): the file is truncated")
        }
        sampleRate = format.sampleRate
        channelCount = format.channelCount
        frameCount = chunks.samples.count / frameBytes
        encoding = format.encoding
        samples = chunks.samples
        if encoding == .float32, let k = firstNonFiniteSample() {
            throw CellForgeError.nonFinite(name: "\(source): sample at frame \(k / channelCount), channel \(k % channelCount)")
        }
    }

    /// The index (frame × channels + channel) of the first NaN or infinite float sample.
    private func firstNonFiniteSample() -> Int? {
        samples.withUnsafeBytes { raw in
            (0..<(frameCount * channelCount)).first { k in
                !Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))).isFinite
            }
        }
    }

    /// Channel `index` (from 0) as floating-point values, scaled as soundfile (libsndfile)
    /// reads them: integer PCM divided by 2^(bits − 1), so in [−1, 1); float samples as stored
    /// (rounded to `S`). In Double every integer sample is exact.
    /// - Throws: `CellForgeError.invalidArgument` if there is no channel `index`.
    public func channel<S: CellScalar>(_ index: Int, as _: S.Type = S.self) throws -> [S] {
        guard (0..<channelCount).contains(index) else {
            throw CellForgeError.invalidArgument("WAV channel \(index) requested, file has \(channelCount) "
                + "(channels are numbered from 0)")
        }
        // Decoded by code specialised for the scalar type: generic code converts sample by sample
        // through the generic initialisers, several times slower.
        return S.self == Float.self ? unsafeBitCast(decode(index, as: Float.self), to: [S].self)
            : unsafeBitCast(decode(index, as: Double.self), to: [S].self)
    }

    /// Channel `index` (in range) as `S` values.
    private func decode<S: CellScalar>(_ index: Int, as _: S.Type) -> [S] {
        let width = encoding.bytesPerSample, stride = channelCount * width
        func decode(_ sample: (UnsafeRawBufferPointer, Int) -> S) -> [S] {
            samples.withUnsafeBytes { raw in (0..<frameCount).map { sample(raw, $0 * stride + index * width) } }
        }
        switch encoding {
        case .pcm16:
            return decode { raw, p in S(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: Int16.self))) / 32768 }
        case .pcm24:
            return decode { raw, p in
                S(Int32(raw[p]) | Int32(raw[p + 1]) << 8 | Int32(Int8(bitPattern: raw[p + 2])) << 16) / 8_388_608
            }
        case .pcm32:
            return decode { raw, p in S(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: Int32.self))) / 2_147_483_648 }
        case .float32:
            return decode { raw, p in S(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self)))) }
        }
    }
}
