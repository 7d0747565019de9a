import Foundation

/// The `fmt ` and `data` chunks of a RIFF/WAVE file, found by walking its chunks.
///
/// Rules: the file starts "RIFF", a 32-bit size and "WAVE"; the RIFF size fits in the file
/// (bytes after it are ignored); each chunk's 8-byte header and its payload fit within the
/// RIFF size; a chunk of odd size is followed by a pad byte (which the last chunk may lack);
/// `fmt ` and `data` each appear exactly once; every other chunk is skipped.
struct RIFFChunks {
    /// The `fmt ` chunk's payload.
    let format: Data
    /// The `data` chunk's payload.
    let samples: Data

    init(_ data: Data, fail: (String) -> CellForgeError) throws {
        guard data.count >= 12 else {
            throw fail("\(data.count) bytes is shorter than the 12-byte RIFF/WAVE header")
        }
        switch data.tag(at: 0) {
        case "RIFF": break
        case "RF64", "BW64":
            throw fail("\(data.tag(at: 0)) (64-bit RIFF) is not supported: CellForge reads RIFF/WAVE files")
        case "RIFX":
            throw fail("RIFX (big-endian RIFF) is not supported: CellForge reads little-endian RIFF/WAVE files")
        default:
            throw fail("not a RIFF/WAVE file: it starts with \"\(data.tag(at: 0))\", expected \"RIFF\"")
        }
        guard data.tag(at: 8) == "WAVE" else {
            throw fail("RIFF form type \"\(data.tag(at: 8))\" is not \"WAVE\"")
        }
        let riffSize = data.uint32(at: 4)
        guard riffSize >= 4, riffSize <= data.count - 8 else {
            throw fail("RIFF size \(riffSize) runs past the end of the file (\(data.count - 8) bytes follow it): the file is truncated")
        }
        let end = 8 + riffSize
        var offset = 12
        var format: Data?, samples: Data?
        while offset < end {
            guard end - offset >= 8 else {
                throw fail("chunk header at byte \(offset) is cut off: \(end - offset) bytes remain of the 8 it needs")
            }
            let tag = data.tag(at: offset), size = data.uint32(at: offset + 4), start = offset + 8
            guard size <= end - start else {
                throw fail("chunk \"\(tag)\" at byte \(offset) declares \(size) bytes but \(end - start) remain: the file is truncated")
            }
            let payload = data[(data.startIndex + start)..<(data.startIndex + start + size)]
            switch tag {
            case "fmt ":
                guard format == nil else { throw fail("second \"fmt \" chunk at byte \(offset): a WAV file has one") }
                format = payload
            case "data":
                guard samples == nil else { throw fail("second \"data\" chunk at byte \(offset): a WAV file has one") }
                samples = payload
            default:
                break
            }
            offset = start + size + size % 2
        }
        guard let format else { throw fail("no \"fmt \" chunk") }
        guard let samples else { throw fail("no \"data\" chunk") }
        self.format = format
        self.samples = samples
    }
}
