import Foundation

/// Little-endian fields of a byte buffer, at offsets counted from its first byte (so a `Data`
/// slice reads the same as a copy). The caller checks that the field lies within the buffer.
extension Data {
    /// The unsigned integer of `size` (1…8) bytes at `offset`.
    func littleEndian(at offset: Int, size: Int) -> UInt64 {
        let start = startIndex + offset
        var value: UInt64 = 0
        for i in (0..<size).reversed() { value = value << 8 | UInt64(self[start + i]) }
        return value
    }

    func uint16(at offset: Int) -> Int { Int(littleEndian(at: offset, size: 2)) }
    func uint32(at offset: Int) -> Int { Int(littleEndian(at: offset, size: 4)) }

    /// The four bytes at `offset` as text (a RIFF tag), unprintable bytes escaped.
    func tag(at offset: Int) -> String {
        let start = startIndex + offset
        var text = ""
        for byte in self[start..<Swift.min(start + 4, endIndex)] {
            let printable = (0x20...0x7E).contains(byte) && byte != 0x22 && byte != 0x5C
            text += printable ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16).zeroPadded(to: 2)
        }
        return text
    }

    /// Appends `value` as `size` little-endian bytes.
    mutating func appendLittleEndian(_ value: UInt64, size: Int) {
        for i in 0..<size { append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
}

extension String {
    /// `self` with leading zeros up to `width` characters.
    func zeroPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
