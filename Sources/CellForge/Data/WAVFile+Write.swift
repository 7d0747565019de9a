import Foundation

extension WAVFile {
    /// The highest sample rate `write(_:sampleRate:to:)` accepts: its byte rate (4 bytes a
    /// frame) must fit the header's 32 bits.
    public static var maximumWriteSampleRate: Int { Int(UInt32.max) / 4 }

    /// Writes `samples` as a mono 32-bit IEEE float WAV file at `url` (`AtomicFile.write(_:to:)`):
    /// a RIFF/WAVE file with an 18-byte `fmt ` chunk (format tag 3), a `fact` chunk holding the
    /// frame count and the `data` chunk. Double samples are rounded to Float.
    /// - Throws: `CellForgeError.invalidArgument` for a sample rate outside
    ///   1…`maximumWriteSampleRate` or more samples than a RIFF file holds, `.nonFinite` for a
    ///   sample that is not finite as a Float, or if the file cannot be written.
    public static func write<S: CellScalar>(_ samples: [S], sampleRate: Int, to url: URL) throws {
        try AtomicFile.write(floatFileData(samples, sampleRate: sampleRate, name: url.path), to: url)
    }

    /// The bytes `write(_:sampleRate:to:)` writes, naming the file `name` in messages.
    static func floatFileData<S: CellScalar>(_ samples: [S], sampleRate: Int, name: String) throws -> Data {
        guard (1...maximumWriteSampleRate).contains(sampleRate) else {
            throw CellForgeError.invalidArgument("WAV sample rate \(sampleRate) for \"\(name)\": must be 1 to \(maximumWriteSampleRate)")
        }
        let headerSize = 58, maximumCount = (Int(UInt32.max) + 8 - headerSize) / 4
        guard samples.count <= maximumCount else {
            throw CellForgeError.invalidArgument("WAV file \"\(name)\": \(samples.count) samples exceed the \(maximumCount) a RIFF file holds")
        }
        var data = Data(capacity: headerSize + 4 * samples.count)
        func tag(_ text: String) { data.append(contentsOf: Array(text.utf8)) }
        func field(_ value: Int, _ size: Int) { data.appendLittleEndian(UInt64(value), size: size) }
        tag("RIFF"); field(headerSize - 8 + 4 * samples.count, 4); tag("WAVE")
        tag("fmt "); field(18, 4)
        field(3, 2); field(1, 2); field(sampleRate, 4); field(sampleRate * 4, 4); field(4, 2); field(32, 2); field(0, 2)
        tag("fact"); field(4, 4); field(samples.count, 4)
        tag("data"); field(4 * samples.count, 4)
        for (k, sample) in samples.enumerated() {
            let value = Float(sample)
            guard value.isFinite else { throw CellForgeError.nonFinite(name: "sample \(k) to write to WAV file \"\(name)\" (as Float)") }
            field(Int(value.bitPattern), 4)
        }
        return data
    }
}
