import XCTest
import Foundation
import ImageFiles
import TestSupport

/// The file-format modules keep Swift's bounds checks in every build (docs/DESIGN.md, section 6):
/// a read past the end of a decoded image's samples stops the program instead of returning
/// whatever lies beyond. The test runs itself again in a child process (this test binary,
/// running only this test, told by an environment variable that it is the child), which reads
/// one sample past the end; the parent expects the child to be killed by the trap. Built
/// with `-Ounchecked`, the child would print a value and exit normally. `.ci/run` runs it in
/// the debug build and again in the release build.
final class ReleaseBoundsTests: XCTestCase {
    static let childVariable = "READABLE_STYLE_TRANSFER_BOUNDS_CHILD"

    func testReadPastTheSamplesTraps() throws {
        if let text = ProcessInfo.processInfo.environment[Self.childVariable], let offset = Int(text) {
            // The child: a 2x2 gray image has 4 samples; (x: 1, y: 1 + offset) is sample
            // 3 + 2 * offset, past the end. The trap should end the process on this line.
            let image = RasterImage(width: 2, height: 2, color: .gray, samples: [10, 20, 30, 40])
            print("sample past the end: \(image[1, 1 + offset, 0])")
            return
        }
        let child = try runChildTest("\(String(reflecting: Self.self))/testReadPastTheSamplesTraps", environment: [Self.childVariable: "1"])
        XCTAssertEqual(child.terminationReason, .uncaughtSignal, "the child was not stopped by a trap:\n\(child.output)")
        XCTAssertFalse(child.output.contains("sample past the end:"), "the read went through:\n\(child.output)")
        XCTAssertTrue(child.output.contains("testReadPastTheSamplesTraps"), "the child ran another test:\n\(child.output)")
    }
}
