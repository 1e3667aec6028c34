import XCTest
import TestSupport
import Foundation

/// Every executable, as a user runs it, on good and bad argument lists: `--help` explains and
/// exits with 0; an unknown option or a stray argument is named on standard error with exit
/// status 2; an output folder that is a file gets one line and exit status 1. Nothing crashes
/// and nothing is written where it should not be. (`swift test` builds the executables beside
/// the test bundle.)
final class ExecutableTests: XCTestCase {
    static let demos = ["perceptron-demo", "deep-network-demo", "convolutional-network-demo", "receptive-field-demo", "shared-weights-demo", "pooling-demo", "images-demo", "jpeg-demo",
                        "vgg-demo", "content-demo", "style-demo", "style-distribution-demo", "perceptual-control-demo", "video-demo", "transformation-network-demo"]
    static let tools = ["style-transfer", "style-video", "style-apply", "style-train", "contact-sheet", "image-convert", "fetch-samples", "benchmark", "compression-benchmark", "make-samples", "loss-chart"]

    /// Whether a test has already tried to fetch the weights (once per test run).
    nonisolated(unsafe) static var triedToFetch = false

    /// The folder of the built programs, beside the test bundle: on macOS the `.xctest` bundle's
    /// folder, elsewhere the test executable's own.
    let binaries: URL = {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") { return bundle.bundleURL.deletingLastPathComponent() }
        return Bundle.main.bundleURL.deletingLastPathComponent()
        #else
        return Bundle.main.bundleURL
        #endif
    }()
    var workFolder: URL!

    override func setUpWithError() throws {
        workFolder = FileManager.default.temporaryDirectory.appendingPathComponent("executable-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workFolder)
    }

    /// Runs a program (one of the package's, or given by its absolute path) in the empty work folder, with `environment` added to this process's;
    /// returns its exit status (nil if a signal ended it), standard output and standard error.
    func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32?, output: String, error: String) {
        let process = Process()
        process.executableURL = program.hasPrefix("/") ? URL(fileURLWithPath: program) : binaries.appendingPathComponent(program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = workFolder
        let (output, error) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationReason == .exit ? process.terminationStatus : nil, out, err)
    }

    /// What the work folder holds now.
    func leftovers() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: workFolder.path) }

    func testHelpExplainsAndWritesNothing() throws {
        for program in Self.demos + Self.tools {
            let result = try run(program, ["--help"])
            XCTAssertEqual(result.status, 0, program)
            XCTAssertTrue(result.output.hasPrefix("usage: \(program)"), "\(program): \(result.output)")
            XCTAssertTrue(result.output.contains("--help"), program)
            XCTAssertEqual(try leftovers(), [], "\(program) --help wrote something")
        }
    }

    func testUnknownOptionsAndStrayArgumentsAreNamed() throws {
        for program in Self.demos + Self.tools {
            let unknown = try run(program, ["--frobnicate"])
            XCTAssertEqual(unknown.status, 2, program)
            XCTAssertTrue(unknown.error.hasPrefix("\(program): ") && unknown.error.contains("--frobnicate"), "\(program): \(unknown.error)")
            XCTAssertEqual(unknown.error.split(separator: "\n").count, 1, program)
            guard program != "contact-sheet" && program != "loss-chart" else { continue }   // take any number of files: no argument is stray
            let positionals = program == "image-convert" || program == "compression-benchmark" ? ["a", "b"] : []
            let stray = try run(program, positionals + ["stray"])
            XCTAssertEqual(stray.status, 2, program)
            XCTAssertTrue(stray.error.contains("stray"), "\(program): \(stray.error)")
            XCTAssertEqual(try leftovers(), [], "\(program) wrote something on a bad argument list")
        }
    }

    func testDemosRefuseAnOutputThatIsNotAFolder() throws {
        let file = workFolder.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        for program in Self.demos {
            let result = try run(program, ["--output", file.path])
            XCTAssertEqual(result.status, 1, "\(program): \(result.error)")
            XCTAssertTrue(result.error.contains("not a folder"), "\(program): \(result.error)")
            let missing = try run(program, ["--output"])
            XCTAssertEqual(missing.status, 2, program)
            XCTAssertTrue(missing.error.contains("--output needs a value"), "\(program): \(missing.error)")
        }
        XCTAssertEqual(try leftovers(), ["a-file"])
    }

    /// image-convert reads a JPEG (a test file of ImageFilesTests) and writes what libjpeg makes
    /// of it, to within the IDCT's rounding; a damaged JPEG is named with its fault, exit 1.
    func testImageConvertReadsJPEG() throws {
        let fixtures = packageFolder().appendingPathComponent("Tests/Formats/ImageFiles/JPEG")
        let output = workFolder.appendingPathComponent("converted.ppm").path
        let result = try run("image-convert", [fixtures.appendingPathComponent("progressive-420.jpg").path, output])
        XCTAssertEqual(result.status, 0, result.error)
        let ours = [UInt8](FileManager.default.contents(atPath: output) ?? Data())
        let reference = [UInt8](FileManager.default.contents(atPath: fixtures.appendingPathComponent("progressive-420.ppm").path)!)
        XCTAssertEqual(ours.count, reference.count)
        XCTAssertEqual(ours.prefix(15), reference.prefix(15))  // "P6\n61 43\n255\n"
        XCTAssertLessThanOrEqual(zip(ours, reference).map { abs(Int($0) - Int($1)) }.max() ?? 99, 4)
        var damaged = [UInt8](FileManager.default.contents(atPath: fixtures.appendingPathComponent("baseline-420.jpg").path)!)
        damaged = Array(damaged[..<(damaged.count * 2 / 3)])
        let damagedPath = workFolder.appendingPathComponent("damaged.jpg").path
        try Data(damaged).write(to: URL(fileURLWithPath: damagedPath))
        let failure = try run("image-convert", [damagedPath, workFolder.appendingPathComponent("never.png").path])
        XCTAssertEqual(failure.status, 1)
        XCTAssertTrue(failure.error.contains("file ends early"), failure.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("never.png").path))
        try FileManager.default.removeItem(atPath: output)
        try FileManager.default.removeItem(atPath: damagedPath)
    }

    /// loss-chart draws two logs as two curves, and names a file that is not a log.
    func testLossChartDrawsLogsAndRefusesOthers() throws {
        let header = "iteration,total,content,style,tv,seconds\n"
        try Data((header + "0,100,50,40,10,0.5\n1,10,5,4,1,1.0\n").utf8).write(to: workFolder.appendingPathComponent("a.csv"))
        try Data((header + "0,1000,500,400,100,0.2\n1,1,0.5,0.4,0.1,0.9\n").utf8).write(to: workFolder.appendingPathComponent("b.csv"))
        let drawn = try run("loss-chart", ["a.csv=FIRST", "b.csv=SECOND", "--output", "chart.svg"])
        XCTAssertEqual(drawn.status, 0, drawn.error)
        let svg = String(decoding: FileManager.default.contents(atPath: workFolder.appendingPathComponent("chart.svg").path) ?? Data(), as: UTF8.self)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("FIRST") && svg.contains("SECOND"), svg)
        try Data("x,y\n1,2\n".utf8).write(to: workFolder.appendingPathComponent("other.csv"))
        let refused = try run("loss-chart", ["other.csv", "--output", "never.svg"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.error.contains("not a loss log"), refused.error)
        let badAxis = try run("loss-chart", ["a.csv", "--output", "never.svg", "--x", "minutes"])
        XCTAssertEqual(badAxis.status, 1, badAxis.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("never.svg").path))
    }

    func testToolsCheckTheirValues() throws {
        let missing = try run("image-convert", ["only-one.png"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.error.contains("OUT"), missing.error)
        let unreadable = try run("image-convert", ["no-such-file.png", "out.png"])
        XCTAssertEqual(unreadable.status, 1)
        XCTAssertTrue(unreadable.error.hasPrefix("image-convert: "), unreadable.error)
        for arguments in [["--runs", "two"], ["--sizes", "0"], ["--sizes", "256,x"]] {
            let result = try run("benchmark", arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.error)")
            XCTAssertTrue(result.error.contains(arguments[1]), result.error)
        }
        // The chapter 6 to 8 demos check their values before loading anything.
        for (program, arguments, named) in [("content-demo", ["--size", "0"], "0"), ("content-demo", ["--layers", "conv9_9"], "conv9_9"),
                                            ("style-demo", ["--iterations", "many"], "many"), ("vgg-demo", ["--pooling", "median"], "median"),
                                            ("style-demo", ["--pooling", "min"], "min"), ("style-demo", ["--layer-weights", "some"], "some"),
                                            ("perceptual-control-demo", ["--size", "2048"], "2048"), ("style-distribution-demo", ["--layer", "relu9_1"], "relu9_1"),
                                            ("content-demo", ["--network", "vgg17"], "vgg17"), ("content-demo", ["--network", "vgg16", "--layers", "conv3_4"], "conv3_4")] {
            let result = try run(program, arguments + ["--output", workFolder.appendingPathComponent("out").path])
            XCTAssertEqual(result.status, 1, "\(program) \(arguments): \(result.error)")
            XCTAssertTrue(result.error.hasPrefix("\(program): ") && result.error.contains(named), result.error)
        }
        let mode = try run("compression-benchmark", ["squash", "file"])
        XCTAssertEqual(mode.status, 2)
        XCTAssertTrue(mode.error.contains("squash"), mode.error)
        XCTAssertEqual(try leftovers(), [])
    }
}
