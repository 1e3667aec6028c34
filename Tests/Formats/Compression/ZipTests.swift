import XCTest
import Compression

final class ZipTests: XCTestCase {
    func testReadsStoredAndDeflatedEntries() throws {
        let zip = try ZipArchive(bytes: Fixtures.zip)
        XCTAssertEqual(zip.entries.map(\.name), ["stored.txt", "dir/deflated.txt"])
        XCTAssertEqual(try zip.extract(named: "stored.txt"), Array("stored entry contents\n".utf8))
        XCTAssertEqual(try zip.extract(named: "dir/deflated.txt"), Array(String(repeating: "deflated ", count: 40).utf8))
        XCTAssertThrowsError(try zip.extract(named: "missing")) { XCTAssertEqual($0 as? ZipError, .entryNotFound("missing")) }
    }

    func testCorruptDataFailsCRC() throws {
        var bytes = Fixtures.zip
        bytes[30 + 10] ^= 0x20   // a byte of "stored entry contents"
        let zip = try ZipArchive(bytes: bytes)
        XCTAssertThrowsError(try zip.extract(named: "stored.txt")) {
            guard case .crcMismatch? = $0 as? ZipError else { return XCTFail("\($0)") }
        }
    }

    func testNotAZip() {
        XCTAssertThrowsError(try ZipArchive(bytes: Array("definitely not a zip archive".utf8))) {
            XCTAssertEqual($0 as? ZipError, .noEndOfCentralDirectory)
        }
        XCTAssertThrowsError(try ZipArchive(bytes: [])) { XCTAssertEqual($0 as? ZipError, .noEndOfCentralDirectory) }
    }

    func testTruncatedArchivesNeverCrash() {
        // Cut at every length and flip every byte: each must read or fail cleanly.
        for length in 0..<Fixtures.zip.count {
            if let zip = try? ZipArchive(bytes: Array(Fixtures.zip.prefix(length))) {
                for entry in zip.entries { _ = try? zip.extract(entry) }
            }
        }
        for i in 0..<Fixtures.zip.count {
            var bytes = Fixtures.zip
            bytes[i] ^= 0xFF
            if let zip = try? ZipArchive(bytes: bytes) {
                for entry in zip.entries { _ = try? zip.extract(entry) }
            }
        }
    }
}

final class ZipLimitTests: XCTestCase {
    /// A one-entry archive whose central directory declares `declared` uncompressed bytes.
    func archive(data: [UInt8], method: Int, declared: Int, crc: UInt32) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        let name = Array("big.bin".utf8)
        let local = le32(0x0403_4B50) + le16(20) + le16(0) + le16(method) + le32(0) + le32(Int(crc))
            + le32(data.count) + le32(declared) + le16(name.count) + le16(0) + name + data
        let central = le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(method) + le32(0) + le32(Int(crc))
            + le32(data.count) + le32(declared) + le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + name
        let end = le32(0x0605_4B50) + le16(0) + le16(0) + le16(1) + le16(1) + le32(central.count) + le32(local.count) + le16(0)
        return local + central + end
    }

    func testAnEntryDeclaringMoreThanTheLimitIsRefusedBeforeInflating() throws {
        // Nearly 4 GiB declared, 2 KiB of zeros given: refused by the size alone.
        let compressed = Deflate.compress([UInt8](repeating: 0, count: 2048))
        let zip = try ZipArchive(bytes: archive(data: compressed, method: 8, declared: 0xFFFF_FFFE, crc: 0))
        XCTAssertThrowsError(try zip.extract(named: "big.bin")) {
            XCTAssertEqual($0 as? ZipError, .entryTooLarge(entry: "big.bin", size: 0xFFFF_FFFE, limit: ZipArchive.maxEntryBytes))
        }
        // Within a caller's smaller limit, and over it.
        let zeros = [UInt8](repeating: 0, count: 2048)
        let honest = try ZipArchive(bytes: archive(data: compressed, method: 8, declared: 2048, crc: CRC32.checksum(zeros)))
        XCTAssertEqual(try honest.extract(honest.entries[0], maxBytes: 2048), zeros)
        XCTAssertThrowsError(try honest.extract(honest.entries[0], maxBytes: 2047)) {
            XCTAssertEqual($0 as? ZipError, .entryTooLarge(entry: "big.bin", size: 2048, limit: 2047))
        }
    }

    func testAnEntryLargerThanDeclaredStopsAtTheDeclaredSize() throws {
        let compressed = Deflate.compress([UInt8](repeating: 0, count: 100_000))
        let zip = try ZipArchive(bytes: archive(data: compressed, method: 8, declared: 1000, crc: 0))
        XCTAssertThrowsError(try zip.extract(named: "big.bin")) {
            XCTAssertEqual($0 as? ZipError, .inflate(entry: "big.bin", .outputLimitExceeded(limit: 1000)))
        }
        let short = try ZipArchive(bytes: archive(data: compressed, method: 8, declared: 200_000, crc: 0))
        XCTAssertThrowsError(try short.extract(named: "big.bin")) {
            XCTAssertEqual($0 as? ZipError, .sizeMismatch(entry: "big.bin", expected: 200_000, actual: 100_000))
        }
    }
}
