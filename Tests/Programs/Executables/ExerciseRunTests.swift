import XCTest
import TestSupport
import Foundation

/// The exercises of chapters 6 to 11 that are runs of the programs: each test runs the command an
/// exercise gives, as the reader would, and checks the outcome the exercise states. Release
/// builds only (`.ci/run`'s release pass); offline they are skipped, saying what to fetch.
extension ExecutableTests {
    /// Runs a program with the project's cache and returns its standard output; fails the test if it fails.
    func exerciseRun(_ program: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try run(program, arguments, environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(result.status, 0, "\(program) \(arguments.joined(separator: " ")): \(result.error)", file: file, line: line)
        return result.output
    }

    /// The numbers in the first match of `pattern` (whose groups are numbers) in `text`.
    func numbers(_ pattern: String, in text: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else {
            XCTFail("no \"\(pattern)\" in: \(text.suffix(600))", file: file, line: line)
            return []
        }
        return (1..<match.numberOfRanges).map { Double(text[Range(match.range(at: $0), in: text)!])! }
    }

    static let number = #"([-+0-9.e]+)"#

    /// style-transfer's final loss and its content, style and total-variation terms.
    func styleTransferLosses(_ arguments: [String]) throws -> (total: Double, content: Double, style: Double, tv: Double) {
        let output = try exerciseRun("style-transfer", arguments + ["--output", "result-\(UUID().uuidString).png"])
        let n = Self.number
        let found = numbers("final loss \(n) \\(content \(n), style \(n), tv \(n)\\)", in: output)
        guard found.count == 4 else { return (0, 0, 0, 0) }
        return (found[0], found[1], found[2], found[3])
    }

    /// Notebook 06b, exercises 1 to 4, and chapter 9's exercises, which compare with the same default run.
    func testOptimiserAndStyleTransferExercises() throws {
        try requireReleaseBuildAndWeights()
        let small = ["--size", "128", "--iterations", "60"]
        let lbfgs = try styleTransferLosses(small)
        let adam = try styleTransferLosses(small + ["--optimizer", "adam"])
        let gd = try styleTransferLosses(small + ["--optimizer", "gd"])
        XCTAssertEqual(lbfgs.total, 7.3e6, accuracy: 0.3e6)
        XCTAssertEqual(adam.total / lbfgs.total, 1.3, accuracy: 0.1, "Adam about 30% higher")
        XCTAssertEqual(gd.total / lbfgs.total, 3, accuracy: 0.5, "gradient descent about three times higher")
        XCTAssertGreaterThan(gd.style, 10 * lbfgs.style, "gradient descent's style loss hardly reduced")

        let adam1 = try styleTransferLosses(small + ["--optimizer", "adam", "--learning-rate", "1"])
        let adam50 = try styleTransferLosses(small + ["--optimizer", "adam", "--learning-rate", "50", "--log", "adam-50.csv"])
        XCTAssertEqual(adam1.total / adam.total, 2, accuracy: 0.3, "Adam at rate 1: about twice the default's")
        XCTAssertGreaterThan(adam50.total, adam.total)
        // ... and at 50 it overshoots: its log rises at some steps (the total, the CSV's second column).
        let log = try String(contentsOf: workFolder.appendingPathComponent("adam-50.csv"), encoding: .utf8)
        let totals = log.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[1]) }
        XCTAssertGreaterThanOrEqual(totals.count, 60, "a row for each of the 60 iterations")
        XCTAssertTrue(zip(totals, totals.dropFirst()).contains { $1 > $0 }, "Adam at rate 50: the log rises at some step")

        let noise100 = ["--init", "noise", "--size", "128", "--iterations", "100"]
        let oneMemory = try styleTransferLosses(noise100 + ["--lbfgs-history", "1"])
        let fullMemory = try styleTransferLosses(noise100 + ["--lbfgs-history", "25"])
        XCTAssertEqual(oneMemory.total / fullMemory.total, 1.12, accuracy: 0.05, "one L-BFGS pair: about 12% higher")

        // 6b, 4: the free descent's picture, as written, against the picture descended in the box.
        let free = try styleTransferLosses(small + ["--free-descent"])
        XCTAssertEqual(free.total / lbfgs.total, 1.4, accuracy: 0.1, "the free descent's written picture: about 40% higher")
        XCTAssertEqual(free.style / lbfgs.style, 3, accuracy: 0.5, "its style term about three times the boxed run's")

        // Chapter 9. 1: the style loss itself falls and the content term rises as the style weight grows.
        let style10 = try styleTransferLosses(small + ["--style-weight", "10"])
        let style1000 = try styleTransferLosses(small + ["--style-weight", "1000"])
        let rawStyle = [style10.style / 10, lbfgs.style / 100, style1000.style / 1000]
        for (got, stated) in zip(rawStyle, [8.9e4, 1.5e4, 1.0e4]) { XCTAssertEqual(got / stated, 1, accuracy: 0.06, "style loss \(rawStyle)") }
        for (got, stated) in zip([style10.content, lbfgs.content, style1000.content], [3.6e6, 5.8e6, 7.3e6]) {
            XCTAssertEqual(got / stated, 1, accuracy: 0.06, "content term")
        }
        // 2: from noise, about 40% higher after the same 60 iterations.
        let noise = try styleTransferLosses(small + ["--init", "noise"])
        XCTAssertEqual(noise.total / lbfgs.total, 1.4, accuracy: 0.1)
        // 3: with --tv-weight 0.1 total variation is about a quarter of the loss.
        let smooth = try styleTransferLosses(small + ["--tv-weight", "0.1"])
        XCTAssertEqual(smooth.tv / smooth.total, 0.27, accuracy: 0.05)
    }

    /// Chapter 6, exercise 3: average pooling leaves the first block as it is and cuts relu5_1's mean to about a quarter.
    func testAveragePoolingStatistics() throws {
        try requireReleaseBuildAndWeights()
        func mean(_ layer: String, _ output: String) -> Double { numbers("\(layer) mean \(Self.number) std", in: output).first ?? 0 }
        let max = try exerciseRun("vgg-demo", ["--stats"]), average = try exerciseRun("vgg-demo", ["--stats", "--pooling", "avg"])
        XCTAssertEqual(mean("relu1_2", average), mean("relu1_2", max))
        for layer in ["relu2_1", "relu3_1", "relu4_1", "relu5_1"] {
            XCTAssertLessThan(mean(layer, average), mean(layer, max), "after a pooling the mean drops: \(layer)")
        }
        XCTAssertEqual(mean("relu5_1", max), 47.0, accuracy: 0.5)
        XCTAssertEqual(mean("relu5_1", average), 12.5, accuracy: 0.5)
    }

    /// Chapter 7's exercises: how far each reconstruction ends from the photo.
    func testContentReconstructionExercises() throws {
        try requireReleaseBuildAndWeights()
        func difference(_ layer: String, _ output: String) -> Double {
            numbers("\(layer): content loss .*; mean difference from the photo \(Self.number) of 255", in: output).first ?? .nan
        }
        let small = ["--size", "128", "--output", "content"]
        let ten = try exerciseRun("content-demo", small + ["--layers", "conv1_1,conv3_1", "--iterations", "10"])
        XCTAssertLessThan(difference("conv1_1", ten), 6.5)
        XCTAssertEqual(difference("conv3_1", ten), 56, accuracy: 3)
        let longer = try exerciseRun("content-demo", small + ["--layers", "conv3_1", "--iterations", "120"])
        XCTAssertEqual(difference("conv3_1", longer), 14, accuracy: 2)

        let maxPooled = try exerciseRun("content-demo", small + ["--layers", "conv5_1", "--iterations", "60"])
        let averaged = try exerciseRun("content-demo", small + ["--layers", "conv5_1", "--iterations", "60", "--pooling", "avg"])
        XCTAssertEqual(difference("conv5_1", maxPooled), 67, accuracy: 2)
        XCTAssertEqual(difference("conv5_1", averaged), 63, accuracy: 2)
        XCTAssertLessThan(difference("conv5_1", averaged), difference("conv5_1", maxPooled) - 2, "average pooling: closer to the photo")

        let relu = try exerciseRun("content-demo", small + ["--layers", "conv4_2,relu4_2", "--iterations", "60"])
        XCTAssertEqual(difference("conv4_2", relu), 54.6, accuracy: 1.5)
        XCTAssertEqual(difference("relu4_2", relu), 54.6, accuracy: 1.5)
    }

    /// Chapter 8, exercise 2: with equal terms relu4_1 is about 95% of the loss from white noise
    /// and relu5_1 adds almost nothing. (The starting losses need one iteration only.)
    func testEqualStyleTermsExercise() throws {
        try requireReleaseBuildAndWeights()
        let output = try exerciseRun("style-demo", ["--size", "128", "--layer-weights", "equal", "--iterations", "1", "--output", "style"])
        func start(_ layers: String) -> Double { numbers("  \(layers): style loss \(Self.number) ->", in: output).first ?? .nan }
        let three = start("relu1_1, relu2_1, relu3_1"), four = start("relu1_1, relu2_1, relu3_1, relu4_1")
        let five = start("relu1_1, relu2_1, relu3_1, relu4_1, relu5_1")
        XCTAssertEqual((four - three) / four, 0.95, accuracy: 0.02)
        XCTAssertLessThan((five - four) / five, 0.001)
    }

    /// Chapter 10's exercises: the colour distances with the grey brick sample as the first style.
    func testGreyPaintingColourExercise() throws {
        try requireReleaseBuildAndWeights()
        let cache = URL(fileURLWithPath: projectCache)
        let output = try exerciseRun("perceptual-control-demo", ["--size", "128", "--iterations", "40", "--output", "control",
                                                                 "--style", cache.appendingPathComponent("brick.png").path,
                                                                 "--second-style", packageFolder().appendingPathComponent("samples/mosaic.png").path])
        func distance(_ method: String) -> Double {
            numbers(NSRegularExpression.escapedPattern(for: method) + ": colour distance from the photo: +" + Self.number, in: output).first ?? .nan
        }
        let painting = distance("the painting's colours"), after = distance("--original-colors (after)")
        let luminance = distance("--preserve-colors luminance"), match = distance("--preserve-colors match")
        XCTAssertEqual(painting, 31, accuracy: 3)
        XCTAssertLessThan(after, 0.5)
        XCTAssertLessThan(luminance, 3)
        XCTAssertGreaterThan(match, painting, "matching a grey painting's colours is worse than doing nothing")
        XCTAssertTrue(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("control/scale-control.png").path))
    }

    /// Chapter 11, exercise 3: the start from the frame before alone against the full temporal
    /// loss, on four frames at 128 pixels.
    func testVideoExercise() throws {
        try requireReleaseBuildAndWeights()
        let n = Self.number
        func flickers(_ extra: [String]) throws -> (alone: Double, temporal: Double) {
            let output = try exerciseRun("video-demo", ["--frames", "4", "--size", "128", "--output", "video-\(UUID().uuidString)"] + extra)
            let found = numbers("mean +\(n) +\(n) +\(n)", in: output)
            return found.count == 3 ? (found[1], found[2]) : (0, 0)
        }
        let full = try flickers([]), startOnly = try flickers(["--temporal-weight", "0.001"])
        XCTAssertEqual(startOnly.alone, full.alone, accuracy: 1e-9, "the frames styled alone are the same runs")
        XCTAssertLessThan(startOnly.temporal, 0.1 * startOnly.alone, "the start alone removes most of the flicker")
        XCTAssertGreaterThan(startOnly.temporal, full.temporal, "the temporal loss removes a little more")
        XCTAssertLessThan(startOnly.temporal, 1.2 * full.temporal, "but only a little")
    }
}
