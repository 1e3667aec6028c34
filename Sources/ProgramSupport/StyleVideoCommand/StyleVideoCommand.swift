// The style-video command (chapter 11): a folder of frames styled one after another, each
// later frame pulled towards the stylised frames before it by the temporal loss. Its options
// are declared here, those it shares with style-transfer taken from there, and
// StyleVideoRequest.swift decides everything from them before any frame is styled.
// Sources/Programs/style-video/main.swift runs it.
import StyleTransferRun
import ImageFiles
import VideoRun
import StyleTransferCommand
import NetworkPrograms
import CommandLineArguments

public enum StyleVideoCommand {
    static let defaults = VideoSettings()
    /// The frames' longer side unless --size says otherwise: a video's frames are many, so smaller than a still's.
    public static let defaultSize = 384

    static let frames = Option<String?>.text("--frames", value: "DIR",
        help: "the folder of frames, \(ReadableFormats.names), styled in name order (frame2 before frame10); every file in it must be a frame of one size")
    static let output = Option<String>.text("--output", value: "DIR", default: "output/style-video",
        help: "the folder for the styled frames, each under its frame's name as PNG; frames already there are kept, and the run continues after them")
    static let size = Option<Int>.integer("--size", in: 16...8192, default: defaultSize, help: "the styled frames' longer side")
    static let temporalWeight = Option<Float>.number("--temporal-weight", in: 0...1e12, default: defaults.temporalWeight,
        help: "the temporal loss's weight, pulling each frame towards the one before carried over by the optical flow; 0 styles every frame on its own")
    static let iterations = Option<[Int]>.integers("--iterations", value: "FIRST[,NEXT]", in: 0...100_000,
        default: [defaults.frame.iterations, defaults.laterIterations],
        help: "L-BFGS iterations for the first frame, and for each later frame, which starts from the frame before carried over (with --temporal-weight 0 every frame takes FIRST)",
        defaultText: "\(defaults.frame.iterations),\(defaults.laterIterations)")
    static let longTerm = Option<Bool>.flag("--long-term",
        help: "long-term consistency: compare each frame with the frames 1, 2 and 4 before it, each pixel with the nearest where it was in view (three times the optical flow)")
    static let start = Option<String?>.text("--init", value: "noise|content",
        help: "where the first frame's pixels start: white noise or the frame (default)")
    static let animation = Option<String?>.text("--animation", value: "FILE.png",
        help: "also write the styled frames as an animated PNG, which browsers play")
    static let frameRate = Option<Int>.integer("--frame-rate", in: 1...240, default: 12, help: "the animation's frames per second")

    typealias Still = StyleTransferCommand

    public static let spec = CommandSpec(
        name: "style-video",
        summary: """
        Styles a video, given as a folder of frames, in the style of one or more paintings without \
        flicker (Ruder, Dosovitskiy and Brox, 2016): the first frame as style-transfer would; each later \
        frame starts from the styled frame before, carried over by the optical flow, and a temporal loss \
        keeps it there wherever the flow is reliable. Writes each styled frame under its frame's name; \
        Ctrl-C keeps every finished frame, and the same command continues where it stopped.
        """,
        options: [frames.spec, Still.style.spec, Still.blend.spec, output.spec, animation.spec, frameRate.spec, size.spec,
                  iterations.spec, temporalWeight.spec, longTerm.spec, start.spec, Still.optimiser.spec, Still.freeDescent.spec, Still.history.spec,
                  Still.learningRate.spec, Still.contentWeight.spec, Still.styleWeight.spec, Still.tvWeight.spec, Still.styleLoss.spec, Still.contentLayers.spec,
                  Still.styleLayers.spec, Still.seed.spec, Still.originalColors.spec, Still.preserveColors.spec, Still.styleScale.spec,
                  Still.preview.spec, NetworkProgram.weights.spec])
}
