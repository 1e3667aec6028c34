import Foundation
import XCTest
import FuzzTargets

/// Replays every input fuzzing found (Fuzz/Regressions/TARGET/*) through its target, and the seed
/// corpora (Fuzz/Corpus/TARGET/*) too, so the targets themselves are known to work on real files.
/// No sanitizer here: a finding that once crashed must now be refused cleanly or decoded, and a
/// finding that broke a property must now keep it.
final class FuzzRegressionTests: XCTestCase {
    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    func files(in folder: String, target: FuzzTarget) -> [URL] {
        let directory = Self.fuzzFolder.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    func replay(_ folder: String) throws -> Int {
        var count = 0
        for target in FuzzTarget.allCases {
            for file in files(in: folder, target: target) {
                let bytes = [UInt8](try Data(contentsOf: file))
                XCTAssertNoThrow(try target.run(bytes), "\(target.rawValue): \(file.lastPathComponent)")
                count += 1
            }
        }
        return count
    }

    func testFoundInputsStayFixed() throws {
        let count = try replay("Regressions")
        print("replayed \(count) regression inputs")
    }

    func testSeedCorporaRunThroughEveryTarget() throws {
        let count = try replay("Corpus")
        print("replayed \(count) seed inputs")
        for target in FuzzTarget.allCases {
            XCTAssertFalse(files(in: "Corpus", target: target).isEmpty, "no seeds for \(target.rawValue)")
        }
    }

    /// The targets check properties, so they can fail: a wrong answer must be thrown, not missed.
    func testATargetReportsABrokenProperty() {
        // A zlib stream whose Adler-32 is wrong is refused by both inflaters with the same error:
        // no finding. Different errors would be one; this checks the comparison runs at all.
        XCTAssertNoThrow(try FuzzTarget.inflate.run([0x01, 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x02]))
    }
}
