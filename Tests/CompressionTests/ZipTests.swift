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
