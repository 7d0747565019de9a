import Foundation

/// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, initial value and final XOR
/// 0xFFFFFFFF), table-driven, one byte per step; CRC32C("123456789") = 0xE3069283.
enum CRC32C {
    /// The remainder of each byte value, for the byte-at-a-time update.
    private static let table: [UInt32] = (0..<256).map { byte in
        var r = UInt32(byte)
        for _ in 0..<8 { r = r & 1 == 1 ? (r >> 1) ^ 0x82F6_3B78 : r >> 1 }
        return r
    }

    /// The checksum of `data`.
    static func checksum(_ data: Data) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            data.withUnsafeBytes { bytes in
                var crc = ~UInt32(0)
                for byte in bytes { crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8) }
                return ~crc
            }
        }
    }
}
