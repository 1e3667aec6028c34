// The style-transfer command, apart from its program: its options, each declared once here with
// its default (taken from the run's settings, StylizationSettings.swift), its range and its
// help, and everything it decides from them before any picture or weight is loaded
// (StyleTransferRequest.swift), so the rules can be read, and tested, without starting a
// process. Sources/Programs/style-transfer/main.swift runs it.
import Tensors
import VGG
import StyleTransfer
import StyleRepresentation
import PerceptualControl
import StyleTransferRun
import FastLosses
import ImageFiles
import NetworkPrograms
import CommandLineArguments

public enum StyleTransferCommand {
    static let defaults = StylizationSettings()

    /// From the photo, the share of the iterations the last (full-size) scale runs; the earlier
    /// scales share the rest equally.
    public static let lastScaleShare = 0.6

    /// The iterations at each scale of a run from the photo: `total` in all, `lastScaleShare` of
    /// them at the last scale and the rest shared equally by the earlier ones (the first taking
    /// any remainder). From the photo, the coarse scales only settle the large shapes, which the
    /// photo already has, and are mostly redone once enlarged; every iteration at the full size
    /// still pays (notebook 09a, "The default run"). On two scales, the default 100 is 40 then 60.
    public static func photoSchedule(total: Int, scales: Int) -> [Int] {
        guard scales > 1 else { return [total] }
        let last = Int((Double(total) * lastScaleShare).rounded())
        let rest = total - last, earlier = scales - 1
        return (0..<earlier).map { rest / earlier + ($0 < rest % earlier ? 1 : 0) } + [last]
    }

    // ---- The options, in the order --help lists them.

    static let content = Option<String?>.text("--content",
        help: "the photo to repaint (\(ReadableFormats.names); default the astronaut sample, unless --style is given: then a texture)")
    public static let style = Option<[String]?>.list("--style", help: "the style images (default samples/mosaic.png, the project's own mosaic)")
    public static let blend = Option<[Float]?>.numbers("--style-blend-weights", value: "W[,W...]", in: 0...1e6,
        help: "how much each style counts, normalised to sum to 1", defaultText: "equal")
    static let output = Option<String?>.text("--output", help: "the result, .png .ppm .pgm or .pam (default output/style-transfer.png)")
    static let size = Option<Int>.integer("--size", in: 16...8192, default: defaults.size,
        help: "the result's longer side", defaultText: "\(defaults.size); a photo already that size is used as is")
    static let maxMemory = Option<MemorySize>("--max-memory", value: "SIZE", default: MemorySize.defaultBudget,
        help: "the memory the run may take, such as 2G or 800M (default a quarter of this machine's memory); a picture that would not fit is evaluated in tiles, with the same result") { text in
        guard let budget = MemorySize(text) else { throw ArgumentError.badValue(option: "--max-memory", value: text, expected: "a size such as 2G, 800M or 1.5G") }
        return budget
    }
    static let scales = Option<Int?>.integer("--scales", in: 1...8, help: "coarse to fine: N sizes, each twice the one before, ending at --size",
        defaultText: "from 256 or less, one scale per doubling; 2 for 512")
    static let iterations = Option<[Int]>.integers("--iterations", in: 0...100_000, default: [defaults.iterations],
        help: "the iterations. From the photo, the total: \(Int(lastScaleShare * 100))% at the last scale and the rest shared by the earlier ones (\(photoSchedule(total: defaults.iterations, scales: 2).map(String.init).joined(separator: " then ")) at 512); from noise or a picture: the first scale's, each later scale running half as many; or one number per scale, smallest first")
    public static let optimiser = Option<OptimiserKind>.choice("--optimizer", OptimiserKind.allCases, default: defaults.optimiser,
        help: "L-BFGS (full steps, a step that raises the loss too much is shortened), Adam, or plain gradient descent", defaultText: defaults.optimiser.rawValue)
    public static let freeDescent = Option<Bool>.flag("--free-descent",
        help: "let the pixels leave 0...255 while descending, clipped only when written (the picture written then has a higher loss than the one descended to); by default they stay in range")
    public static let history = Option<Int>.integer("--lbfgs-history", in: 1...1000, default: defaults.historySize, help: "the step pairs L-BFGS remembers")
    public static let learningRate = Option<Float?>.number("--learning-rate", in: 1e-12...1e12, help: "the step's scale",
        defaultText: OptimiserKind.allCases.map { "\(shortest($0.defaultLearningRate)) for \($0.rawValue)" }.joined(separator: ", "))
    static let start = Option<String?>.text("--init", value: "noise|content|FILE",
        help: "where the pixels start: white noise (the article's start), the photo (default), or a picture; a texture starts from noise")
    public static let contentWeight = Option<Float>.number("--content-weight", in: 0...1e12, default: defaults.weights.content, help: "the content loss's weight")
    public static let styleWeight = Option<Float>.number("--style-weight", in: 0...1e12, default: defaults.weights.style, help: "the style loss's weight")
    public static let tvWeight = Option<Float>.number("--tv-weight", in: 0...1e12, default: defaults.weights.totalVariation,
        help: "the total variation's weight, which smooths the result")
    public static let styleLoss = Option<StyleLossKind>.choice("--style-loss", StyleLossKind.allCases, default: .gram,
        help: "how the style is compared: Gram matrices (chapter 8), the sliced Wasserstein distance of the features' distributions, or each channel's histogram with the Gram matrices (chapter 8b)",
        defaultText: StyleLossKind.gram.rawValue)
    public static let contentLayers = Option<[String]?>.list("--content-layers", value: "L[,L...]",
        help: "the layers whose feature maps the result shares with the photo (default \(defaults.contentLayers.joined(separator: ",")))",
        expected: "layer names separated by commas")
    public static let styleLayers = Option<[String]?>.list("--style-layers", value: "L[,L...]",
        help: "the layers whose Gram matrices it shares with the style (default \(defaults.styleLayers.joined(separator: ",")))",
        expected: "layer names separated by commas")
    public static let seed = NetworkProgram.seed
    static let saveEvery = Option<Int>.integer("--save-every", in: 0...100_000, default: 0,
        help: "also write the image every N iterations, as NAME-ITERATION.png beside --output (0: never)")
    static let log = Option<String?>.text("--log", help: "write the losses as CSV: iteration,total,content,style,tv,seconds (iteration 0 is the start)")
    static let plot = Option<String?>.text("--plot", value: "FILE.svg", help: "draw the loss curves as SVG")
    public static let originalColors = Option<Bool>.flag("--original-colors", help: "keep the photo's colours: the result's luminance with the photo's colour")
    public static let preserveColors = Option<ColourPreservation?>.choice("--preserve-colors", [.luminance, .match],
        help: "keep the photo's colours another way: transfer on luminance only, the photo's colours put back; or match the style's colours to the photo's first")
    static let contentMask = Option<String?>.text("--content-mask",
        help: "a picture of flat colours marking regions of the result; with --style-masks, each region takes its style from the same colour's regions of the style images")
    static let styleMasks = Option<[String]?>.list("--style-masks", help: "one mask per style image, in the content mask's colours")
    static let maskGuides = Option<GuideKind>.choice("--mask-guides", GuideKind.allCases, default: .simple,
        help: "at deep layers, a region counts each cell by its share inside it (simple) or only cells wholly inside (inside, the paper's eroded guides)",
        defaultText: GuideKind.simple.rawValue)
    static let styleCoarse = Option<String?>.text("--style-coarse",
        help: "scale control, with --style-fine: the painting whose large structures the deep style layers match")
    static let styleFine = Option<String?>.text("--style-fine", help: "the painting whose fine texture the shallow style layers match")
    static let fineLayers = Option<[String]?>.list("--fine-layers", value: "L[,L...]",
        help: "the style layers that match --style-fine (default \(defaults.styleLayers.prefix(2).joined(separator: ",")); the rest match --style-coarse)",
        expected: "layer names separated by commas")
    public static let styleScale = Option<Float>.number("--style-scale", in: 0.05...4, default: defaults.styleScale,
        help: "the style images' size relative to the result's", showRange: true)

    static let reference = Option<Bool>.flag("--reference",
        help: "run the chapters' plain code (plain VGG, chapter 9's loss, chapter 6b's optimisers) beside the engine and print both losses at each iteration; "
            + "one scale of at most \(ReferenceRun.largestSize) pixels (default --size \(ReferenceRun.defaultSize) --iterations \(ReferenceRun.defaultIterations)), writes no picture")

    public static let spec = CommandSpec(
        name: "style-transfer",
        summary: """
        Repaints a photo in the style of one or more paintings: from the photo itself (or white noise), \
        descends the gradient of the content, style and total-variation losses with respect to the \
        pixels, through VGG19 with its ImageNet weights. With no options it repaints the sample \
        astronaut photo in the style of samples/mosaic.png and writes output/style-transfer.png. \
        Given --style without --content, it synthesises a texture from the style images alone.
        """,
        options: [content.spec, style.spec, blend.spec, output.spec, size.spec, maxMemory.spec, scales.spec, iterations.spec,
                  optimiser.spec, freeDescent.spec, history.spec, learningRate.spec, start.spec, contentWeight.spec, styleWeight.spec, tvWeight.spec,
                  styleLoss.spec, contentLayers.spec, styleLayers.spec, NetworkProgram.pooling.spec, seed.spec, saveEvery.spec, log.spec, plot.spec,
                  originalColors.spec, preserveColors.spec, contentMask.spec, styleMasks.spec, maskGuides.spec, styleCoarse.spec,
                  styleFine.spec, fineLayers.spec, styleScale.spec, reference.spec, preview.spec, NetworkProgram.weights.spec, NetworkProgram.network.spec])
}

