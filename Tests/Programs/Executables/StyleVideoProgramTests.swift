import XCTest
import TestSupport
import Foundation

/// `style-video` as a user runs it: bad frames refused in one line before any work, and on the
/// real VGG19 at a tiny size (release builds, weights present) a clip styled, interrupted with
/// Ctrl-C, continued, and written as an animated PNG.
extension ExecutableTests {
    /// A folder of `count` frames, each a crop of one busy pattern moved by two pixels.
    func writeFrames(_ folder: String, count: Int, width: Int = 48, height: Int = 36) throws {
        try FileManager.default.createDirectory(at: workFolder.appendingPathComponent(folder), withIntermediateDirectories: true)
        for k in 0..<count {
            var bytes = Array("P6\n\(width) \(height)\n255\n".utf8)
            for y in 0..<height {
                for x in 0..<width {
                    let (sx, sy) = (x + 2 * k, y + k)
                    bytes += [UInt8((sx * 7 + sy * 3) % 256), UInt8((sx * sy) % 251), UInt8((sx * 13 + sy * 29) % 256)]
                }
            }
            try Data(bytes).write(to: workFolder.appendingPathComponent("\(folder)/f\(k).ppm"))
        }
    }

    func testStyleVideoRefusesBadFramesBeforeAnyWork() throws {
        try FileManager.default.createDirectory(at: workFolder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try writeFrames("sizes", count: 1)
        try writePPM("sizes/f1.ppm", width: 20, height: 20, seed: 1)
        try writeFrames("notes", count: 2)
        try Data("a frame? no".utf8).write(to: workFolder.appendingPathComponent("notes/f1.ppm"))
        for (folder, expected) in [("empty", "holds no frames"), ("sizes", "f1.ppm is 20x20, but f0.ppm is 48x36"), ("notes", "notes/f1.ppm"),
                                   ("missing", "no such folder")] {
            let result = try run("style-video", ["--frames", folder, "--output", "out"])
            XCTAssertEqual(result.status, 1, folder)
            XCTAssertTrue(result.error.contains(expected), "\(folder): \(result.error)")
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, "\(folder): one line (\(result.error))")
            XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("out").path), "\(folder): nothing written")
        }
        let noFrames = try run("style-video", [])
        XCTAssertEqual(noFrames.status, 2)
        XCTAssertTrue(noFrames.error.contains("--frames"), noFrames.error)
        let tooMany = try run("style-video", ["--frames", "empty", "--iterations", "1,2,3"])
        XCTAssertEqual(tooMany.status, 1)
        XCTAssertTrue(tooMany.error.contains("FIRST[,NEXT]"), tooMany.error)
    }

    /// `--style-loss`: a clip styled with chapter 8b's sliced term (redrawn within each frame's
    /// run), the opening line naming it.
    func testStyleVideoWithTheSlicedTerm() throws {
        try requireReleaseBuildAndWeights()
        try writeFrames("clip", count: 2)
        let result = try run("style-video", ["--frames", "clip", "--size", "48", "--iterations", "12,6", "--style-loss", "sliced", "--output", "out"],
                             environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("the style compared by sliced Wasserstein (--style-loss)"), result.output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workFolder.appendingPathComponent("out").path).sorted(), ["f0.png", "f1.png"])
    }

    func testStyleVideoContinuesAfterCtrlCAndWritesTheAnimation() throws {
        try requireReleaseBuildAndWeights()
        try writeFrames("clip", count: 3)
        let environment = ["STYLE_TRANSFER_CACHE": projectCache]
        // Stopped in the second frame, which would take far too long: the first is kept.
        let process = Process()
        process.executableURL = binaries.appendingPathComponent("style-video")
        process.arguments = ["--frames", "clip", "--size", "48", "--iterations", "5,100000", "--output", "out"]
        process.currentDirectoryURL = workFolder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let first = workFolder.appendingPathComponent("out/f0.png").path
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline && !FileManager.default.fileExists(atPath: first) { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 1)
        XCTAssertTrue(process.isRunning, "the run ended before it was interrupted")
        process.interrupt()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertTrue(printed.contains("interrupted during f1.ppm: 1 of 3 frames are styled"), printed)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workFolder.appendingPathComponent("out").path).sorted(), ["f0.png"])

        // The same clip again continues at the second frame, and writes the animation.
        let again = try run("style-video", ["--frames", "clip", "--size", "48", "--iterations", "5,3", "--output", "out",
                                            "--animation", "clip.png", "--frame-rate", "4"], environment: environment)
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertTrue(again.output.contains("continuing after the 1 frame already styled in out: starting at f1.ppm"), again.output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workFolder.appendingPathComponent("out").path).sorted(), ["f0.png", "f1.png", "f2.png"])
        let animation = [UInt8](try Data(contentsOf: workFolder.appendingPathComponent("clip.png")))
        let text = String(decoding: animation.map { $0 < 128 ? $0 : 0 }, as: UTF8.self)
        XCTAssertTrue(text.contains("acTL"), "an animated PNG")
        XCTAssertEqual(text.components(separatedBy: "fcTL").count - 1, 3, "three frames")
        XCTAssertTrue(pngSize("clip.png")! == (48, 36), "the animation has the frames' size")
    }
}
