import XCTest
import TestSupport
import Foundation

/// `style-transfer` as a user runs it: its values checked before anything is loaded, and runs
/// that are interrupted or diverge leave a valid image behind (on the real VGG19 weights, at
/// 32 pixels).
extension ExecutableTests {
    /// The project's cache of fetched files, so runs in the work folder do not fetch again.
    var projectCache: String {
        packageFolder().appendingPathComponent(".cache").path
    }

    /// The VGG19 weights these runs need, in the project's cache: fetched once, by `fetch-samples`
    /// as a user would, before the first test that needs them. Without them (offline), the test
    /// is skipped, saying what to fetch (under CI, it fails).
    func requireWeights() throws {
        let file = URL(fileURLWithPath: projectCache).appendingPathComponent("vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin").path
        if !FileManager.default.fileExists(atPath: file) && !ExecutableTests.triedToFetch {
            ExecutableTests.triedToFetch = true
            _ = try run("fetch-samples", [], environment: ["STYLE_TRANSFER_CACHE": projectCache])
        }
        guard FileManager.default.fileExists(atPath: file) else {
            throw missingRealData("needs the VGG19 weights, which could not be fetched: run `swift run -c release fetch-samples` with a network")
        }
    }

    /// A binary PPM of the given size with pixels from a formula.
    func writePPM(_ name: String, width: Int, height: Int, seed: Int) throws {
        var bytes = Array("P6\n\(width) \(height)\n255\n".utf8)
        for i in 0..<(width * height * 3) { bytes.append(UInt8((i * (7 + seed) + i / 3 * seed) % 256)) }
        try Data(bytes).write(to: workFolder.appendingPathComponent(name))
    }

    /// A binary PPM of flat colours, `colour(y, x)` at each pixel: a mask.
    func writeMask(_ name: String, width: Int, height: Int, _ colour: (Int, Int) -> [UInt8]) throws {
        var bytes = Array("P6\n\(width) \(height)\n255\n".utf8)
        for y in 0..<height { for x in 0..<width { bytes += colour(y, x) } }
        try Data(bytes).write(to: workFolder.appendingPathComponent(name))
    }

    /// Masks that cannot be used are refused in one line, before the network is loaded.
    func testStyleTransferRefusesBadMasksBeforeLoading() throws {
        try writePPM("photo.ppm", width: 32, height: 24, seed: 1)
        try writeMask("halves.ppm", width: 64, height: 64) { _, x in x < 32 ? [255, 0, 0] : [0, 0, 255] }
        try writeMask("green.ppm", width: 16, height: 16) { _, x in x < 8 ? [255, 0, 0] : [0, 200, 0] }
        try writeMask("red.ppm", width: 16, height: 16) { _, _ in [255, 0, 0] }
        try writeMask("stripe.ppm", width: 256, height: 256) { _, x in x < 3 ? [0, 0, 255] : [255, 0, 0] }
        try Data("not a picture".utf8).write(to: workFolder.appendingPathComponent("notes.txt"))
        let photo = ["--content", "photo.ppm", "--style", "photo.ppm"]
        let cases: [([String], String)] = [
            (photo + ["--content-mask", "notes.txt", "--style-masks", "halves.ppm"], "--content-mask notes.txt: "),
            (photo + ["--content-mask", "halves.ppm", "--style-masks", "green.ppm"], "colour #00c800 (50% of the mask) is not a colour of the content mask"),
            (photo + ["--content-mask", "halves.ppm", "--style-masks", "halves.ppm,halves.ppm"], "2 masks for 1 style image"),
            (photo + ["--content-mask", "halves.ppm", "--style-masks", "red.ppm"], "colour #0000ff of the content mask is in no style mask"),
            (photo + ["--content-mask", "stripe.ppm", "--style-masks", "halves.ppm"], "is too small"),
            (photo + ["--content-mask", "halves.ppm"], "--content-mask and --style-masks go together"),
            (photo + ["--preserve-colors", "hue"], "--preserve-colors hue"),
        ]
        for (arguments, named) in cases {
            let result = try run("style-transfer", arguments + ["--output", "never.png"])
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.error)")
            XCTAssertTrue(result.error.hasPrefix("style-transfer: ") && result.error.contains(named), "\(arguments): \(result.error)")
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, "one line: \(result.error)")
            XCTAssertFalse(result.error.contains("[vgg]"), "refused before the network was loaded: \(result.error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("never.png").path))
    }

    /// The width and height in a PNG's header, nil if the bytes are not a PNG.
    func pngSize(_ name: String) -> (width: Int, height: Int)? {
        guard let data = FileManager.default.contents(atPath: workFolder.appendingPathComponent(name).path), data.count > 24,
              Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        let b = Array(data)
        func be(_ at: Int) -> Int { b[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    func testStyleTransferChecksItsValuesBeforeLoadingAnything() throws {
        try writePPM("photo.ppm", width: 32, height: 24, seed: 1)
        let cases: [([String], String)] = [
            (["--optimizer", "sgd"], "sgd"), (["--size", "0"], "--size"), (["--size", "9000"], "9000"), (["--iterations", "-1"], "-1"),
            (["--max-memory", "0"], "--max-memory 0"), (["--max-memory", "lots"], "--max-memory lots"),
            (["--content", "photo.ppm", "--max-memory", "100M"], "cannot hold even the smallest tile"),
            (["--style-layers", "relu9_1"], "relu9_1"), (["--content-layers", "relu4_2,"], "--content-layers"),
            (["--content-weight", "nan"], "nan"), (["--tv-weight", "-1"], "-1"), (["--learning-rate", "0"], "0"),
            (["--style-scale", "9"], "9"), (["--style-blend-weights", "1,2"], "one weight per style image"),
            (["--output", "no-such-folder/out.png"], "no-such-folder"), (["--output", "out.jpg"], "out.jpg"),
            (["--plot", "curves.png"], "curves.png"), (["--init", "content", "--style", "photo.ppm"], "--init content needs --content"),
            (["--original-colors", "--style", "photo.ppm"], "--original-colors needs --content"),
            (["--content", "no-such-photo.png"], "no-such-photo.png"), (["--content", "photo.ppm", "--style", "missing.ppm"], "missing.ppm"),
            (["--content", "photo.ppm", "--size", "16"], "smaller than the 16 pixels"), (["--network", "vgg11"], "vgg11"),
        ]
        for (arguments, named) in cases {
            let result = try run("style-transfer", arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.error)")
            XCTAssertTrue(result.error.hasPrefix("style-transfer: ") && result.error.contains(named), "\(arguments): \(result.error)")
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, "\(arguments): \(result.error)")
        }
        XCTAssertEqual(try leftovers(), ["photo.ppm"])
    }

    /// Ctrl-C (SIGINT) mid-run: the program writes the current image, then exits with 130.
    func testAnInterruptedRunWritesTheCurrentImage() throws {
        try requireWeights()
        try writePPM("photo.ppm", width: 32, height: 24, seed: 1)
        try writePPM("style.ppm", width: 24, height: 32, seed: 2)
        let run = try runAndInterrupt(["--content", "photo.ppm", "--style", "style.ppm", "--size", "32", "--iterations", "100000",
                                       "--output", "out.png", "--log", "log.csv"])
        XCTAssertTrue(run.wasRunning, "the run ended before it was interrupted")
        XCTAssertEqual(run.reason, .exit)
        XCTAssertEqual(run.status, 130)
        XCTAssertTrue(pngSize("out.png")! == (32, 24), "out.png is not a 32x24 PNG")
        XCTAssertEqual(try leftovers().sorted(), ["log.csv", "out.png", "photo.ppm", "style.ppm"])   // no temporary files
    }

    /// Starts style-transfer in the work folder with `arguments` (which log to log.csv), presses
    /// Ctrl-C once the log holds `rows` rows (the weights load first), and waits for the end.
    func runAndInterrupt(_ arguments: [String], afterLogRows rows: Int = 4, beforeInterrupting: () throws -> Void = {})
        throws -> (wasRunning: Bool, reason: Process.TerminationReason, status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = binaries.appendingPathComponent("style-transfer")
        process.arguments = arguments
        process.currentDirectoryURL = workFolder
        process.environment = ProcessInfo.processInfo.environment.merging(["STYLE_TRANSFER_CACHE": projectCache]) { $1 }
        let (output, error) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let log = workFolder.appendingPathComponent("log.csv").path
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.split(separator: "\n").count >= rows { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let wasRunning = process.isRunning
        try beforeInterrupting()
        process.interrupt()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (wasRunning, process.terminationReason, process.terminationStatus, printed, complaint)
    }

    /// A learning rate far too large in the free descent (inside the box the loss is bounded): the
    /// loss overflows, the run says so and exits with 1, and the last image whose loss was finite
    /// is written.
    func testADivergingRunKeepsTheLastGoodImage() throws {
        try requireWeights()
        try writePPM("photo.ppm", width: 32, height: 24, seed: 1)
        let result = try run("style-transfer", ["--content", "photo.ppm", "--style", "photo.ppm", "--size", "32", "--iterations", "40",
                                                "--optimizer", "gd", "--learning-rate", "1e12", "--free-descent", "--output", "out.png"],
                             environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.error.contains("NaN or infinite") && result.error.contains("out.png"), result.error)
        XCTAssertTrue(pngSize("out.png")! == (32, 24), "out.png is not a 32x24 PNG")
    }
}
