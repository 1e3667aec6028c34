import XCTest
import FastLosses
import Pictures
import CommandLineArguments
import StyleTransfer
import StyleRepresentation
import PerceptualControl
import StyleTransferRun
import StyleTransferCommand
import NetworkPrograms
import VGG

/// The style-transfer command's rules, without starting a process: the defaults, the schedule
/// per scale, texture mode, and the one-line refusals.
final class StyleTransferRequestTests: XCTestCase {
    func request(_ words: [String]) throws -> StyleTransferRequest {
        try StyleTransferRequest(StyleTransferCommand.spec.parse(words))
    }

    func testDefaultsStartFromThePhotoOnTwoScales() throws {
        let request = try request([])
        XCTAssertEqual(request.start, "content")
        XCTAssertEqual(request.settings.sizes, [256, 512])
        XCTAssertEqual((0..<2).map(request.settings.iterations(atScale:)), [40, 60])
        XCTAssertFalse(request.synthesisesTexture)
        XCTAssertEqual(request.outputPath, "output/style-transfer.png")
        XCTAssertFalse(request.outputGiven)
        // The one --seed option's default is the run settings' own.
        XCTAssertEqual(UInt64(NetworkProgram.seed.defaultValue), StylizationSettings().seed)
        XCTAssertEqual(request.settings.seed, StylizationSettings().seed)
        XCTAssertEqual(try self.request(["--seed", "7"]).settings.seed, 7)
    }

    /// --reference: its own small size and few iterations, one whole scale, nothing written.
    func testReferenceRunsOneSmallScale() throws {
        let request = try request(["--reference"])
        XCTAssertTrue(request.reference)
        XCTAssertEqual(request.settings.sizes, [ReferenceRun.defaultSize])
        XCTAssertEqual(request.settings.iterations(atScale: 0), ReferenceRun.defaultIterations)
        XCTAssertNil(request.settings.memoryBudget)
        XCTAssertEqual(try self.request(["--reference", "--size", "128", "--iterations", "3"]).settings.sizes, [128])
        for (words, expected) in [(["--size", "512"], "at most --size 256"), (["--scales", "2"], "leave out --scales"),
                                  (["--output", "x.png"], "leave out --output"), (["--content-mask", "m.png", "--style-masks", "n.png"], "leave out --content-mask"),
                                  (["--max-memory", "1G"], "leave out --max-memory")] {
            XCTAssertThrowsError(try self.request(["--reference"] + words), words.joined(separator: " ")) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    /// From the photo, one rule at every size: --iterations is the total, 60% of it at the last
    /// scale; from noise or a picture, the first scale's, halved at each later one.
    func testOneScheduleRuleForEverySize() throws {
        func schedule(_ words: [String]) throws -> [Int] {
            let settings = try request(words).settings
            return (0..<settings.scales).map(settings.iterations(atScale:))
        }
        XCTAssertEqual(try schedule(["--size", "1024"]), [20, 20, 60])
        XCTAssertEqual(try schedule(["--size", "768"]), [20, 20, 60])
        XCTAssertEqual(try schedule(["--size", "256", "--scales", "2"]), [40, 60])
        XCTAssertEqual(try schedule(["--size", "2048", "--iterations", "101"]), [14, 13, 13, 61])
        XCTAssertEqual(try schedule(["--iterations", "80"]), [32, 48])
        XCTAssertEqual(try schedule(["--iterations", "1"]), [0, 1])
        XCTAssertEqual(try schedule(["--scales", "1"]), [100])
        XCTAssertEqual(try schedule(["--init", "noise"]), [100, 50])
        XCTAssertEqual(try schedule(["--style", "a.png"]), [100, 50])   // a texture, from noise
        XCTAssertEqual(try schedule(["--init", "noise", "--iterations", "80"]), [80, 40])
        XCTAssertEqual(try schedule(["--iterations", "30,20"]), [30, 20])
    }

    func testIterationsPerScale() throws {
        let request = try request(["--iterations", "80,45,20"])
        XCTAssertEqual(request.settings.sizes, [128, 256, 512])
        XCTAssertEqual((0..<3).map(request.settings.iterations(atScale:)), [80, 45, 20])
        XCTAssertThrowsError(try self.request(["--iterations", "80,45", "--scales", "3"])) { error in
            XCTAssertEqual("\(error)", "--iterations 80,45: expected one number, or one per scale (3)")
        }
    }

    func testATextureStartsFromNoiseAndRefusesThePhotoStart() throws {
        XCTAssertEqual(try request(["--style", "a.png"]).start, "noise")
        XCTAssertTrue(try request(["--style", "a.png"]).synthesisesTexture)
        XCTAssertThrowsError(try request(["--style", "a.png", "--init", "content"])) { error in
            XCTAssertEqual("\(error)", "--init content needs --content (without it, a texture is synthesised)")
        }
        XCTAssertThrowsError(try request(["--style", "a.png", "--original-colors"]))
    }

    func testBadValuesAreNamed() {
        for (words, expected) in [(["--optimizer", "sgd"], "--optimizer sgd"), (["--style-layers", "relu9_1"], "--style-layers relu9_1"),
                                  (["--style", "a.png,b.png", "--style-blend-weights", "1"], "one weight per style image (2)"),
                                  (["--output", "out.gif"], "a file name ending in"), (["--log", "/no/such/folder/log.csv"], "does not exist")] {
            XCTAssertThrowsError(try request(words), "\(words)") { error in
                XCTAssertTrue("\(error)".contains(expected), "\(words): \(error)")
            }
        }
    }

    /// --original-colors and --preserve-colors: chapter 10's three ways in one setting, and the
    /// one-line refusals.
    func testColourOptions() throws {
        XCTAssertNil(try request([]).settings.colours)
        XCTAssertEqual(try request(["--original-colors"]).settings.colours, .afterwards)
        XCTAssertEqual(try request(["--preserve-colors", "luminance"]).settings.colours, .luminance)
        XCTAssertEqual(try request(["--preserve-colors", "match"]).settings.colours, .match)
        XCTAssertThrowsError(try request(["--original-colors", "--style", "a.png"])) { error in
            XCTAssertEqual("\(error)", "--original-colors needs --content, whose colours it keeps")
        }
        for (words, expected) in [(["--preserve-colors", "hue"], "--preserve-colors hue: expected luminance or match"),
                                  (["--preserve-colors", "match", "--style", "a.png"], "--preserve-colors needs --content, whose colours it keeps"),
                                  (["--preserve-colors", "match", "--original-colors"],
                                   "--preserve-colors and --original-colors both keep the photo's colours: choose one")] {
            XCTAssertThrowsError(try request(words), "\(words)") { error in XCTAssertEqual("\(error)", expected) }
        }
        let luminance = try request(["--preserve-colors", "luminance"])
        XCTAssertTrue(luminance.headline(content: true, width: 8, height: 8, settings: luminance.settings).hasSuffix("colours kept by luminance-only transfer"))
    }

    /// Scale control: the coarse and the fine style, and which layers match which.
    func testScaleControl() throws {
        let request = try request(["--style-coarse", "wave.png", "--style-fine", "night.png"])
        XCTAssertEqual(request.stylePaths ?? [], ["wave.png", "night.png"])
        XCTAssertEqual((request.settings.styleTerm as? GramMatrixStyle)?.sources, ["relu1_1": 1, "relu2_1": 1, "relu3_1": 0, "relu4_1": 0, "relu5_1": 0])
        XCTAssertEqual((try self.request(["--style-coarse", "a.png", "--style-fine", "b.png", "--fine-layers", "relu1_1"]).settings.styleTerm as? GramMatrixStyle)?.sources["relu2_1"], 0)
        for (words, expected) in [(["--style-coarse", "a.png"], "--style-coarse and --style-fine go together"),
                                  (["--style-coarse", "a.png", "--style-fine", "b.png", "--style", "c.png"], "replace --style"),
                                  (["--style-coarse", "a.png", "--style-fine", "b.png", "--fine-layers", "relu4_2"], "--fine-layers relu4_2")] {
            XCTAssertThrowsError(try self.request(words), "\(words)") { error in XCTAssertTrue("\(error)".contains(expected), "\(error)") }
        }
    }

    /// Masks go together, one per style.
    func testMasksGoTogetherOnePerStyle() {
        for (words, expected) in [(["--content-mask", "m.png"], "--content-mask and --style-masks go together: the regions of the result and of each style"),
                                  (["--style", "a.png", "--content-mask", "m.png", "--style-masks", "x.png,y.png"],
                                   "--style-masks gives 2 masks for 1 style image: give one per style, in the same order")] {
            XCTAssertThrowsError(try request(words), "\(words)") { error in XCTAssertEqual("\(error)", expected) }
        }
        XCTAssertEqual(try request(["--style", "a.png,b.png", "--content-mask", "m.png", "--style-masks", "x.png,y.png"]).styleMaskPaths ?? [],
                       ["x.png", "y.png"])
        XCTAssertEqual(try request([]).guideKind, .simple)
        XCTAssertEqual(try request(["--mask-guides", "inside"]).guideKind, .inside)
        XCTAssertThrowsError(try request(["--mask-guides", "outside"])) { error in XCTAssertEqual("\(error)", "--mask-guides outside: expected simple or inside") }
    }

    /// Without --weights only VGG19 has a pinned file.
    func testThereAreNoPinnedVGG16Weights() {
        XCTAssertEqual(try NetworkProgram.weightFile(given: "mine.safetensors", architecture: .vgg16), "mine.safetensors")
        XCTAssertThrowsError(try NetworkProgram.weightFile(given: nil, architecture: .vgg16)) { error in
            XCTAssertTrue("\(error)".contains("--weights FILE.safetensors"), "\(error)")
        }
    }

    func testTheSmallestMapMustKeepAPixel() {
        var settings = StylizationSettings()
        settings.size = 64
        settings.scales = 2   // 32 pixels first: relu5_1, after four poolings, needs 16
        let picture = FloatImage(channels: 3, height: 8, width: 64)
        XCTAssertNil(settings.problemAtFirstScale(architecture: .vgg19, content: FloatImage(channels: 3, height: 64, width: 64), styles: [picture.resized(width: 64, height: 64)]))
        let problem = settings.problemAtFirstScale(architecture: .vgg19, content: picture, styles: [picture])
        XCTAssertEqual(problem, "at the first scale (longer side 32) a picture would be 32x4, smaller than the 16 pixels relu5_1 needs on each side: "
                       + "raise --size or --style-scale, or use fewer --scales")
        settings.styleLayers = []
        settings.contentLayers = []
        XCTAssertNotNil(settings.problemAtFirstScale(architecture: .vgg19, content: picture, styles: []), "no layers at all")
    }
}
