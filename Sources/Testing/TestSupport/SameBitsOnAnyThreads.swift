// The harness of the tests that a computation gives the same bits on any number of threads. The
// number of threads is read once, when a process starts (STYLE_THREADS), so the test runs itself
// again in child processes on 1, 2 and 3 threads (3 is more than a 2-core machine's cores:
// Dispatch, not the worker pool) and on 2 with Dispatch (STYLE_WORKER_POOL=0); each child writes
// the bits of `bits()`, and all must be equal.
import XCTest
import Foundation

/// The environment variable that tells a child where to write its bits.
let sameBitsOutputVariable = "READABLE_STYLE_TRANSFER_SAME_BITS_OUTPUT"

/// In the parent: runs `test` ("Module.Class/testMethod", the calling test itself) in the four
/// children and asserts their bits are equal and at least `minimumBytes`. In a child: writes
/// `bits()` and returns.
public func assertSameBitsOnAnyNumberOfThreads(test: String, minimumBytes: Int, _ bits: () -> [UInt8],
                                              file: StaticString = #filePath, line: UInt = #line) throws {
    if let path = ProcessInfo.processInfo.environment[sameBitsOutputVariable] {
        try Data(bits()).write(to: URL(fileURLWithPath: path))
        return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("same-bits-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var results: [(String, [UInt8])] = []
    for (threads, pool) in [("1", "1"), ("2", "1"), ("3", "1"), ("2", "0")] {
        let name = "\(threads) threads" + (pool == "0" ? " on Dispatch" : "")
        let path = folder.appendingPathComponent("\(threads)-\(pool)").path
        let run = try runChildTest(test, environment: [sameBitsOutputVariable: path, "STYLE_THREADS": threads, "STYLE_WORKER_POOL": pool])
        XCTAssertEqual(run.status, 0, "\(name):\n\(run.output)", file: file, line: line)
        results.append((name, [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())))
    }
    XCTAssertGreaterThan(results[0].1.count, minimumBytes, file: file, line: line)
    for (name, bytes) in results.dropFirst() {
        XCTAssertTrue(bytes == results[0].1, "\(name) computed other bits than 1 thread", file: file, line: line)
    }
}
