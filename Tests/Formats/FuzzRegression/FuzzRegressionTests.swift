import Foundation
import XCTest
import TestSupport
@testable import FuzzTargets
import Compression

/// Replays every input fuzzing found (Fuzz/Regressions/TARGET/*) through its target, and the seed
/// corpora (Fuzz/Corpus/TARGET/*) too, so the targets themselves are known to work on real files.
/// No sanitizer here: a finding that once crashed must now be refused cleanly or decoded, and a
/// finding that broke a property must now keep it.
final class FuzzRegressionTests: XCTestCase {
    static let fuzzFolder = packageFolder().appendingPathComponent("Fuzz")

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

    /// Every finding kept under Fuzz/Regressions replays cleanly. The folder must be there and
    /// hold findings, each under a folder named for a target: a moved or renamed folder would
    /// otherwise leave nothing to replay and the test passing.
    func testFoundInputsStayFixed() throws {
        let folder = Self.fuzzFolder.appendingPathComponent("Regressions")
        let targetFolders = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        for name in targetFolders {
            XCTAssertNotNil(FuzzTarget(rawValue: name), "Fuzz/Regressions/\(name) is named for no fuzz target")
        }
        let count = try replay("Regressions")
        XCTAssertGreaterThanOrEqual(count, 2, "the findings kept under Fuzz/Regressions (pickle, png) were not found")
        print("replayed \(count) regression inputs")
    }

    func testSeedCorporaRunThroughEveryTarget() throws {
        let count = try replay("Corpus")
        print("replayed \(count) seed inputs")
        for target in FuzzTarget.allCases {
            XCTAssertFalse(files(in: "Corpus", target: target).isEmpty, "no seeds for \(target.rawValue)")
        }
    }

    /// The targets check properties, so they can fail: a broken one must be thrown, not missed.
    func testBrokenPropertiesAreFindings() {
        let bytes: [UInt8] = [1, 2, 3]
        XCTAssertNoThrow(try InflateTarget.compare(.success((bytes, 3)), .success((bytes, 3)), "raw"))
        XCTAssertNoThrow(try InflateTarget.compare(.failure(InflateError.truncated), .failure(InflateError.truncated), "raw"))
        XCTAssertThrowsError(try InflateTarget.compare(.success((bytes, 3)), .success(([1, 2], 3)), "raw"))
        XCTAssertThrowsError(try InflateTarget.compare(.success((bytes, 3)), .success((bytes, 2)), "raw"))
        XCTAssertThrowsError(try InflateTarget.compare(.failure(InflateError.truncated), .failure(InflateError.badZlibHeader), "raw"))
        XCTAssertThrowsError(try InflateTarget.compare(.success((bytes, 3)), .failure(InflateError.truncated), "raw"))
    }

    /// `Fuzz/run --list` names exactly the targets this module defines; a bad target is usage
    /// (status 2), found before anything is built.
    func testRunScriptKnowsTheTargets() throws {
        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = Self.fuzzFolder.appendingPathComponent("run")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let list = try run(["--list"])
        XCTAssertEqual(list.status, 0)
        XCTAssertEqual(list.output.split(separator: "\n").map(String.init), FuzzTarget.allCases.map(\.rawValue))
        let unknown = try run(["nosuch", "5"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.output.contains("unknown target 'nosuch'"), unknown.output)
        XCTAssertEqual(try run(["png", "soon"]).status, 2)
        XCTAssertEqual(try run(["--frobnicate"]).status, 2)
        XCTAssertEqual(try run(["--help"]).status, 0)
    }
}
