import XCTest
import Foundation
import Tensors

/// `style-train` as a user runs it (on the real VGG19, with tiny photos, crops and networks, in
/// the release pass): a model style-apply paints with, Ctrl-C's checkpoint and its resumption,
/// and the refusals.
extension ExecutableTests {
    func writeTrainingPhotos() throws {
        let folder = workFolder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for k in 0..<2 { try writePPM("photos/photo\(k).ppm", width: 64, height: 52, seed: k + 3) }
        try writePPM("painting.ppm", width: 40, height: 40, seed: 9)
    }

    var tinyTraining: [String] { ["--style", "painting.ppm", "--photos", "photos", "--size", "64", "--crop", "32", "--width", "2"] }

    func testStyleTrainWritesAModelThatStyleApplyPaintsWith() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (.ci/run: swift test -c release --filter ExecutableTests)")
        try requireWeights()
        try writeTrainingPhotos()
        let trained = try run("style-train", tinyTraining + ["--steps", "3", "--output", "model.safetensors", "--log", "train.csv"],
                              environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(trained.status, 0, trained.error)
        XCTAssertTrue(trained.output.contains("trained 3 steps"), trained.output)
        let log = String(decoding: FileManager.default.contents(atPath: workFolder.appendingPathComponent("train.csv").path) ?? Data(), as: UTF8.self)
        let rows = log.split(separator: "\n")
        XCTAssertEqual(rows.first, "iteration,total,content,style,tv,seconds", log)
        XCTAssertEqual(rows.dropFirst().map { $0.split(separator: ",").first.map(String.init) }, ["1", "2", "3"], log)
        try writePPM("photo.ppm", width: 30, height: 22, seed: 1)
        let applied = try run("style-apply", ["--model", "model.safetensors", "--content", "photo.ppm", "--size", "30", "--output", "painted.png"])
        XCTAssertEqual(applied.status, 0, applied.error)
        XCTAssertTrue(pngSize("painted.png")! == (30, 22))
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("model.checkpoint").path), "no checkpoint left")
    }

    /// `--style-loss`: chapter 8b's terms train too (the sliced term drawing new directions at
    /// each step), the progress names the term, and the model paints; a checkpoint of one term
    /// does not resume under another.
    func testStyleTrainWithTheDistributionTerms() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (.ci/run: swift test -c release --filter ExecutableTests)")
        try requireWeights()
        try writeTrainingPhotos()
        // 50 steps: away from a terminal the progress writes a line every 50 (to the standard error).
        for (kind, name, steps) in [("sliced", "sliced style", 50), ("histogram", "histogram+Gram style", 3)] {
            let trained = try run("style-train", tinyTraining + ["--style-loss", kind, "--steps", "\(steps)", "--output", "\(kind).safetensors"],
                                  environment: ["STYLE_TRANSFER_CACHE": projectCache])
            XCTAssertEqual(trained.status, 0, "\(kind): \(trained.error)")
            XCTAssertTrue(trained.output.contains("trained \(steps) steps"), trained.output)
            let headline = kind == "sliced" ? "compared by sliced Wasserstein" : "compared by histogram and Gram matrices"
            XCTAssertTrue(trained.output.contains(headline), "\(kind): the first line names the term: \(trained.output)")
            if steps == 50 { XCTAssertTrue(trained.error.contains("step 50, loss") && trained.error.contains(name), "the progress names it: \(trained.error)") }
            let applied = try run("style-apply", ["--model", "\(kind).safetensors", "--content", "painting.ppm", "--size", "32", "--output", "\(kind).png"])
            XCTAssertEqual(applied.status, 0, applied.error)
        }
    }

    /// Chapter 12's demo, small: it trains, paints the held-out photo, optimises it, and writes
    /// its pictures and the model, which style-apply reads; a crop it cannot take is refused first.
    func testTheTransformationNetworkDemoRuns() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (.ci/run: swift test -c release --filter ExecutableTests)")
        try requireWeights()
        let refused = try run("transformation-network-demo", ["--crop", "30", "--output", "demo"])
        XCTAssertEqual(refused.status, 1, refused.error)
        XCTAssertTrue(refused.error.contains("--crop") && refused.error.contains("30"), refused.error)
        let result = try run("transformation-network-demo", ["--steps", "8", "--size", "64", "--crop", "32", "--width", "2", "--output", "demo"],
                             environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(result.status, 0, result.error)
        for name in ["model.safetensors", "training-loss.svg", "learning.png", "one-pass.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("demo/" + name).path), name)
        }
        XCTAssertTrue(result.output.contains("one pass") && result.output.contains("optimised"), result.output)
        try writePPM("photo.ppm", width: 24, height: 20, seed: 2)
        let applied = try run("style-apply", ["--model", "demo/model.safetensors", "--content", "photo.ppm", "--size", "24", "--output", "painted.png"])
        XCTAssertEqual(applied.status, 0, applied.error)
    }

    /// Ctrl-C writes the checkpoint and exits with 130; the same command resumes from it, and a
    /// resumed --steps run writes the same model file as an uninterrupted one; other settings refuse it.
    func testStyleTrainResumesFromItsCheckpoint() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (.ci/run: swift test -c release --filter ExecutableTests)")
        try requireWeights()
        try writeTrainingPhotos()
        let process = Process()
        process.executableURL = binaries.appendingPathComponent("style-train")
        process.arguments = tinyTraining + ["--steps", "1000000", "--output", "model.safetensors"]
        process.currentDirectoryURL = workFolder
        process.environment = ProcessInfo.processInfo.environment.merging(["STYLE_TRANSFER_CACHE": projectCache]) { $1 }
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 4)
        XCTAssertTrue(process.isRunning)
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        let checkpoint = workFolder.appendingPathComponent("model.checkpoint").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))
        let refused = try run("style-train", tinyTraining + ["--steps", "2", "--batch", "2", "--output", "model.safetensors"],
                              environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(refused.status, 1, refused.error)
        XCTAssertTrue(refused.error.contains("was trained with other settings"), refused.error)
        // The steps it reached, from the progress it printed, and two more.
        let header = String(decoding: (FileManager.default.contents(atPath: checkpoint) ?? Data()).prefix(4096), as: UTF8.self)
        let steps = try XCTUnwrap(header.components(separatedBy: "\"steps\":\"").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) })
        let resumed = try run("style-train", tinyTraining + ["--steps", "\(steps + 2)", "--output", "model.safetensors"], environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("resuming"), resumed.output)
        let whole = try run("style-train", tinyTraining + ["--steps", "\(steps + 2)", "--output", "whole.safetensors"], environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(whole.status, 0, whole.error)
        XCTAssertEqual(try Data(contentsOf: workFolder.appendingPathComponent("model.safetensors")),
                       try Data(contentsOf: workFolder.appendingPathComponent("whole.safetensors")), "resumed and uninterrupted, the same model")
    }

    /// `--steps N` with a seed writes the same model file on 1, 2 and 3 threads.
    func testStyleTrainWritesTheSameModelOnAnyNumberOfThreads() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (.ci/run: swift test -c release --filter ExecutableTests)")
        try requireWeights()
        try writeTrainingPhotos()
        var models: [Data] = []
        for threads in ["1", "2", "3"] {
            let result = try run("style-train", tinyTraining + ["--steps", "3", "--seed", "5", "--output", "model-\(threads).safetensors"],
                                 environment: ["STYLE_TRANSFER_CACHE": projectCache, "STYLE_THREADS": threads])
            XCTAssertEqual(result.status, 0, result.error)
            models.append(try Data(contentsOf: workFolder.appendingPathComponent("model-\(threads).safetensors")))
        }
        XCTAssertGreaterThan(models[0].count, 1000)
        XCTAssertEqual(models[1], models[0], "2 threads")
        XCTAssertEqual(models[2], models[0], "3 threads")
    }

    func testStyleTrainRefusesWhatItCannotTrainOn() throws {
        try writeTrainingPhotos()
        try FileManager.default.createDirectory(at: workFolder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let missing = try run("style-train", ["--photos", "photos"])
        XCTAssertEqual(missing.status, 2, missing.error)
        XCTAssertTrue(missing.error.contains("--style"), missing.error)
        for (arguments, named) in [(["--style", "painting.ppm", "--photos", "empty"], "holds no pictures"),
                                   (["--style", "painting.ppm", "--photos", "photos", "--size", "64", "--crop", "128"], "larger than every photo"),
                                   (["--style", "painting.ppm", "--crop", "30"], "a multiple of 4"),
                                   (["--style", "painting.ppm", "--output", "model.txt"], "model.txt")] {
            let result = try run("style-train", arguments, environment: ["STYLE_TRANSFER_CACHE": projectCache])
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.error)")
            XCTAssertTrue(result.error.hasPrefix("style-train: ") && result.error.contains(named), "\(arguments): \(result.error)")
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, "one line: \(result.error)")
        }
    }
}
