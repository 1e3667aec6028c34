import XCTest
import Compression

final class ChecksumTests: XCTestCase {
    func testCRC32CheckValue() {
        // The standard check value of CRC-32/ISO-HDLC.
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([]), 0)
    }

    func testCRC32Incremental() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var crc = CRC32()
        crc.update(bytes[0..<300])
        crc.update(bytes[300...])
        XCTAssertEqual(crc.value, CRC32.checksum(bytes))
    }

    func testAdler32() {
        XCTAssertEqual(Adler32.checksum(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(Adler32.checksum([]), 1)
        // Long runs of 0xFF exercise the deferred modulo (more than 5552 bytes).
        let ones = [UInt8](repeating: 0xFF, count: 100_000)
        var a: UInt64 = 1, b: UInt64 = 0
        for byte in ones { a = (a + UInt64(byte)) % 65521; b = (b + a) % 65521 }
        XCTAssertEqual(Adler32.checksum(ones), UInt32(b << 16 | a))
    }
}
