import XCTest
import Pictures
@testable import VideoStyleTransfer

/// The numbers chapter 11's exercises ask the reader to find: the flow of the (5, 3) pixel pan
/// of `testAPanIsFoundUpToTheEdges` with fewer sweeps, and without the pyramid.
final class ExerciseAnswerTests: XCTestCase {
    func panError(_ change: (inout HornSchunckFlow) -> Void) throws -> Double {
        let photo = try committedPhoto()
        let camera = CameraMotion(width: 200, height: 150, start: (200, 150), scale: 1, pan: (5, 3))
        var estimator = HornSchunckFlow()
        change(&estimator)
        return estimator.flow(from: camera.frame(0, of: photo), to: camera.frame(1, of: photo))
            .endPointError(against: camera.trueFlow(from: 0, to: 1))
    }

    /// Exercise 1: ten sweeps after each warp instead of a hundred leave the error "about six
    /// times" larger, "from about 0.02 to about 0.15 pixel", still under a pixel: the coarse
    /// levels did most of the work.
    func testFewerSweeps() throws {
        let (full, few) = (try panError { _ in }, try panError { $0.sweeps = 10 })
        print("sweeps 100: \(full) px, sweeps 10: \(few) px")
        XCTAssertEqual(full, 0.02, accuracy: 0.01)
        XCTAssertEqual(few, 0.15, accuracy: 0.04)
        XCTAssertEqual(few / full, 6, accuracy: 1.5, "about six times")
    }

    /// Exercise 2: one level, no pyramid: "about 1.6 pixels", a motion of 5 pixels being far
    /// outside what the linearised equation can see.
    func testNoPyramid() throws {
        let single = try panError { $0.levels = 1 }
        print("one level: \(single) px")
        XCTAssertEqual(single, 1.6, accuracy: 0.2)
    }
}
