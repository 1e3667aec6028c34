import XCTest
import Foundation
import Compression
@testable import Fetching

/// The fetcher's checks, on a wheel placed in a temporary cache by hand (no network).
final class FetcherTests: XCTestCase {
    /// A zip made by Python's zipfile holding "stored.txt" = "stored entry contents\n".
    let wheel: [UInt8] = [UInt8](Data(base64Encoded:
        "UEsDBBQAAAAAAAAAIQDGV7tfFgAAABYAAAAKAAAAc3RvcmVkLnR4dHN0b3JlZCBlbnRyeSBjb250ZW50cwpQSwECFAMUAAAAAAAAACEAxle7XxYAAAAWAAAACgAAAAAAAAAAAAAAgAEAAAAAc3RvcmVkLnR4dFBLBQYAAAAAAQABADgAAAA+AAAAAAA=")!)

    func cache() throws -> String {
        let dir = NSTemporaryDirectory() + "fetcher-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/wheels", withIntermediateDirectories: true)
        try Data(wheel).write(to: URL(fileURLWithPath: dir + "/wheels/example-1.0-py3-none-any.whl"))
        return dir
    }

    func pinned(_ sha: String, wheelSHA: String? = nil) -> PinnedFile {
        PinnedFile(name: "stored.txt", entry: "stored.txt", sha256: sha,
                   wheel: PinnedWheel(package: "example", version: "1.0", pipArguments: [], sha256: wheelSHA ?? SHA256.hex(wheel),
                                      filePrefix: "example-1.0-"))
    }

    func testAWheelIsCheckedWholeBeforeItIsOpened() throws {
        let dir = try cache()
        let path = dir + "/wheels/example-1.0-py3-none-any.whl"
        let fetcher = Fetcher(cacheDirectory: dir)
        XCTAssertNoThrow(try fetcher.check(pinned("").wheel, at: path))
        XCTAssertThrowsError(try fetcher.check(pinned("", wheelSHA: String(repeating: "0", count: 64)).wheel, at: path)) {
            guard case FetchError.checksumMismatch = $0 else { return XCTFail("\($0)") }
        }
    }

    func testExtractsAndChecks() throws {
        let dir = try cache()
        let good = SHA256.hex(Array("stored entry contents\n".utf8))
        let path = try Fetcher(cacheDirectory: dir).path(of: pinned(good))
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("stored entry contents\n".utf8))
    }

    func testRefusesAWrongChecksum() throws {
        let dir = try cache()
        XCTAssertThrowsError(try Fetcher(cacheDirectory: dir).path(of: pinned(String(repeating: "0", count: 64)))) {
            guard case FetchError.checksumMismatch = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/stored.txt"))
    }

    func testSHA256KnownValues() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two blocks, and lengths around the padding boundary.
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
