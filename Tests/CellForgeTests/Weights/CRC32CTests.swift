@testable import CellForge
import Foundation
import Testing

/// CRC-32C against the standard check values.
@Suite struct CRC32CTests {
    @Test func standardTestVectors() {
        #expect(CRC32C.checksum(Data("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum(Data()) == 0)
        #expect(CRC32C.checksum(Data(repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum(Data(repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test func checksumsAreWrittenAsEightLowerCaseHexDigits() {
        #expect(TensorChecksums.hex(0xE306_9283) == "e3069283")
        #expect(TensorChecksums.hex(0x1F) == "0000001f")
    }
}
