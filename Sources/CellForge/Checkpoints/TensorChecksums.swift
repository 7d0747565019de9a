/// The per-tensor checksums of CellForge's own files (model files, model checkpoints, cell
/// checkpoints): every writer stores them and every loader verifies them before reading a
/// value, so a corrupted byte of tensor data is refused rather than loaded.
///
/// One `__metadata__` entry per tensor: key `cellforge.crc32c.NAME` (NAME the tensor's name),
/// value the CRC-32C of the tensor's data bytes as 8 lower-case hexadecimal digits. A file
/// without any such entry (written before checksums existed) loads unchecked; a file with
/// one must have one for every tensor, each naming a tensor of the file.
enum TensorChecksums {
    /// The key prefix of the checksum entries.
    static let keyPrefix = "cellforge.crc32c."

    /// Whether `key` is a checksum entry's key (its tensor name is checked by `verify`).
    static func isKey(_ key: String) -> Bool { key.hasPrefix(keyPrefix) }

    /// A file of `tensors` whose metadata is `metadata` plus every tensor's checksum entry.
    static func file(tensors: [String: SafeTensors.Tensor], metadata: [String: String]) -> SafeTensors {
        var info = metadata
        for (name, tensor) in tensors { info[keyPrefix + name] = hex(CRC32C.checksum(tensor.data)) }
        return SafeTensors(tensors: tensors, metadata: info)
    }

    /// Throws unless `file` has no checksum entry, or one for each of its tensors that is well
    /// formed and matches the tensor's data.
    /// - Throws: a one-line `CellForgeError.invalidFormat` naming the entry or tensor at fault.
    static func verify(_ file: SafeTensors, file what: String) throws {
        let keys = file.metadata.keys.filter(isKey).sorted()
        guard !keys.isEmpty else { return }
        for key in keys where file[String(key.dropFirst(keyPrefix.count))] == nil {
            throw CellForgeError.invalidFormat("\(what) __metadata__ has a checksum entry \(SafeTensors.quoted(key)) for a tensor the file lacks")
        }
        for name in file.names {
            guard let value = file.metadata[keyPrefix + name] else {
                throw CellForgeError.invalidFormat("\(what) tensor \(SafeTensors.quoted(name)) has no checksum entry, though other tensors have")
            }
            guard value.utf8.count == 8, value.utf8.allSatisfy(isLowerHexDigit), let expected = UInt32(value, radix: 16) else {
                throw CellForgeError.invalidFormat("\(what) __metadata__ \(SafeTensors.quoted(keyPrefix + name)) is \(SafeTensors.quoted(value)), "
                    + "not 8 lower-case hexadecimal digits")
            }
            let actual = CRC32C.checksum(file[name]!.data)
            guard actual == expected else {
                throw CellForgeError.invalidFormat("\(what) tensor \(SafeTensors.quoted(name)) is corrupted: its data's CRC-32C is "
                    + "\(hex(actual)), its checksum entry says \(value)")
            }
        }
    }

    /// `crc` as 8 lower-case hexadecimal digits.
    static func hex(_ crc: UInt32) -> String {
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func isLowerHexDigit(_ c: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c)
    }
}
