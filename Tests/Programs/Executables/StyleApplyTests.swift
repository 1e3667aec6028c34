import XCTest
import Foundation
import TransformationNetwork

/// `style-apply` as a user runs it, with a model file the test writes (an untrained network of
/// width 2: the painting is not the point here, the picture's shape and the refusals are).
extension ExecutableTests {
    func writeModel(_ name: String) throws {
        try Data(TransformationNetwork(width: 2, residualBlocks: 1, seed: 1).modelFile(metadata: ["style": "test"]))
            .write(to: workFolder.appendingPathComponent(name))
    }

    /// A photo whose sides are not multiples of 4 comes back with its own shape at --size; a
    /// folder of frames comes back frame by frame, with its animation.
    func testStyleApplyPaintsAPhotoAndAFolderOfFrames() throws {
        try writeModel("model.safetensors")
        try writePPM("photo.ppm", width: 30, height: 22, seed: 1)
        let result = try run("style-apply", ["--model", "model.safetensors", "--content", "photo.ppm", "--size", "30", "--output", "painted.png"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(pngSize("painted.png")! == (30, 22), "painted.png is not 30x22")
        XCTAssertTrue(result.output.contains("painted 30x22"), result.output)
        let frames = workFolder.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        for k in 0..<3 { try writePPM("frames/frame\(k).ppm", width: 24, height: 18, seed: k + 2) }
        let video = try run("style-apply", ["--model", "model.safetensors", "--frames", "frames", "--size", "24", "--output", "styled",
                                            "--animation", "styled.png"])
        XCTAssertEqual(video.status, 0, video.error)
        for k in 0..<3 { XCTAssertTrue(pngSize("styled/frame\(k).png")! == (24, 18), "frame \(k)") }
        XCTAssertTrue(pngSize("styled.png")! == (24, 18), "the animation")
    }

    /// A model file that is missing, truncated or of another network, and a picture beyond the
    /// memory budget: one line, exit status 1, nothing written.
    func testStyleApplyRefusesWhatItCannotPaint() throws {
        try writeModel("model.safetensors")
        try writePPM("photo.ppm", width: 32, height: 24, seed: 1)
        let good = try Data(contentsOf: workFolder.appendingPathComponent("model.safetensors"))
        try good.prefix(good.count - 10).write(to: workFolder.appendingPathComponent("truncated.safetensors"))
        try Data("not a model".utf8).write(to: workFolder.appendingPathComponent("text.safetensors"))
        for (arguments, named) in [(["--model", "absent.safetensors"], "cannot read absent.safetensors"),
                                   (["--model", "truncated.safetensors"], "not a model file"),
                                   (["--model", "text.safetensors"], "not a model file"),
                                   (["--model", "model.safetensors", "--size", "4000", "--max-memory", "300M"], "more than the budget"),
                                   (["--model", "model.safetensors", "--animation", "a.png"], "--animation needs --frames"),
                                   (["--model", "model.safetensors", "--frames", "nowhere"], "nowhere")] {
            let result = try run("style-apply", arguments + ["--content", "photo.ppm", "--output", "never.png"].filter { _ in !arguments.contains("--frames") })
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.error)")
            XCTAssertTrue(result.error.hasPrefix("style-apply: ") && result.error.contains(named), "\(arguments): \(result.error)")
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, "one line: \(result.error)")
        }
        let missing = try run("style-apply", ["--content", "photo.ppm"])
        XCTAssertEqual(missing.status, 2, missing.error)
        XCTAssertTrue(missing.error.contains("--model"), missing.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("never.png").path))
    }
}
