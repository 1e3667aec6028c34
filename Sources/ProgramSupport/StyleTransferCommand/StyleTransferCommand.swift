// The style-transfer command, apart from its program: its options, and everything it decides
// from them before any picture or weight is loaded (StyleTransferRequest.swift), so the rules
// can be read, and tested, without starting a process. Sources/Programs/style-transfer/main.swift runs it.
import StyleTransfer
import DemoSupport
import CommandLineArguments

public enum StyleTransferCommand {
    /// The result's longer side, and --iterations, when not given.
    public static let defaultSize = 512, defaultIterations = 100

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

    public static let spec = CommandSpec(
        name: "style-transfer",
        summary: """
        Repaints a photo in the style of one or more paintings: from the photo itself (or white noise), \
        descends the gradient of the content, style and total-variation losses with respect to the \
        pixels, through VGG19 with its ImageNet weights. With no options it repaints the sample \
        astronaut photo in the style of samples/mosaic.png and writes output/style-transfer.png. \
        Given --style without --content, it synthesises a texture from the style images alone.
        """,
        options: [
            OptionSpec("--content", value: "FILE", help: "the photo to repaint (PNG, JPEG, PPM, PGM, PAM; default the astronaut sample, unless --style is given: then a texture)"),
            OptionSpec("--style", value: "FILE[,FILE...]", help: "the style images (default samples/mosaic.png, the project's own mosaic)"),
            OptionSpec("--style-blend-weights", value: "W[,W...]", help: "how much each style counts, normalised to sum to 1 (default equal)"),
            OptionSpec("--output", value: "FILE", help: "the result, .png .ppm .pgm or .pam (default output/style-transfer.png)"),
            OptionSpec("--size", value: "N", help: "the result's longer side, 16 to 8192 (default \(defaultSize); a photo already that size is used as is)"),
            OptionSpec("--max-memory", value: "SIZE", help: "the memory the run may take, such as 2G or 800M (default a quarter of this machine's memory); a picture that would not fit is evaluated in tiles, with the same result"),
            OptionSpec("--scales", value: "N", help: "coarse to fine: N sizes, each twice the one before, ending at --size (default: from 256 or less, one scale per doubling; 2 for 512)"),
            OptionSpec("--iterations", value: "N[,N...]", help: "0 to 100000 (default \(defaultIterations)). From the photo: the total, \(Int(lastScaleShare * 100))% at the last scale and the rest shared by the earlier ones (\(photoSchedule(total: defaultIterations, scales: 2).map(String.init).joined(separator: " then ")) at 512); from noise or a picture: the first scale's, each later scale running half as many; or one number per scale, smallest first"),
            OptionSpec("--optimizer", value: "lbfgs|adam|gd", help: "L-BFGS (default; full steps, a step that raises the loss too much is shortened), Adam, or plain gradient descent"),
            OptionSpec("--lbfgs-history", value: "N", help: "the step pairs L-BFGS remembers, 1 to 1000 (default \(StylizationSettings().historySize))"),
            OptionSpec("--learning-rate", value: "X", help: "the step's scale (default: 1 for lbfgs, 10 for adam, 0.001 for gd)"),
            OptionSpec("--init", value: "noise|content|FILE", help: "where the pixels start: white noise (the article's start), the photo (default), or a picture; a texture starts from noise"),
            OptionSpec("--content-weight", value: "X", help: "the content loss's weight (default 5)"),
            OptionSpec("--style-weight", value: "X", help: "the style loss's weight (default 100)"),
            OptionSpec("--tv-weight", value: "X", help: "the total variation's weight, which smooths the result (default 0.001)"),
            OptionSpec("--content-layers", value: "L[,L...]", help: "the layers whose feature maps the result shares with the photo (default relu4_2)"),
            OptionSpec("--style-layers", value: "L[,L...]", help: "the layers whose Gram matrices it shares with the style (default relu1_1,relu2_1,relu3_1,relu4_1,relu5_1)"),
            NetworkDemo.poolingOption,
            OptionSpec("--seed", value: "N", help: "the white noise's seed; the same seed, pictures and options give the same picture on any number of threads, on machines with the same instruction set (default 1)"),
            OptionSpec("--save-every", value: "N", help: "also write the image every N iterations, as NAME-ITERATION.png beside --output"),
            OptionSpec("--log", value: "FILE", help: "write the losses as CSV: iteration,total,content,style,tv,seconds (iteration 0 is the start)"),
            OptionSpec("--plot", value: "FILE.svg", help: "draw the loss curves as SVG"),
            OptionSpec("--original-colors", help: "keep the photo's colours: the result's luminance with the photo's colour"),
            OptionSpec("--preserve-colors", value: "luminance|match", help: "keep the photo's colours another way: transfer on luminance only, the photo's colours put back; or match the style's colours to the photo's first"),
            OptionSpec("--content-mask", value: "FILE", help: "a picture of flat colours marking regions of the result; with --style-masks, each region takes its style from the same colour's regions of the style images"),
            OptionSpec("--style-masks", value: "FILE[,FILE...]", help: "one mask per style image, in the content mask's colours"),
            OptionSpec("--mask-guides", value: "simple|inside", help: "at deep layers, a region counts each cell by its share inside it (simple, default) or only cells wholly inside (inside)"),
            OptionSpec("--style-coarse", value: "FILE", help: "scale control, with --style-fine: the painting whose large structures the deep style layers match"),
            OptionSpec("--style-fine", value: "FILE", help: "the painting whose fine texture the shallow style layers match"),
            OptionSpec("--fine-layers", value: "L[,L...]", help: "the style layers that match --style-fine (default relu1_1,relu2_1; the rest match --style-coarse)"),
            OptionSpec("--style-scale", value: "X", help: "the style images' size relative to the result's, 0.05 to 4 (default 1)"),
            NetworkDemo.weightsOption,
            NetworkDemo.networkOption,
        ])
}
