import Tensors

/// What a network expects its input to look like. Pictures come in as RGB values 0...255 in a
/// (3, H, W) tensor; each set of weights was trained on pictures prepared one particular way,
/// and the same preparation must be undone to turn an optimised input back into a picture.
public enum Preprocessing: String, Sendable {
    /// Caffe's, which the original VGG weights (and the quantised VGG19 we fetch) expect:
    /// channels in BGR order, values 0...255, minus the ImageNet mean of each channel.
    case caffe
    /// torchvision's: RGB, values 0...1, minus the ImageNet mean and divided by its standard deviation.
    case torchvision

    /// Caffe's mean pixel, in B, G, R order.
    public static let caffeMeanBGR: [Float] = [103.939, 116.779, 123.68]
    /// ImageNet's mean red, green and blue on the 0...1 scale, as torchvision subtracts it.
    public static let torchvisionMean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet's standard deviation of red, green and blue, by which torchvision divides.
    public static let torchvisionStd: [Float] = [0.229, 0.224, 0.225]

    /// For network channel c: which RGB channel it reads, and x_network = (x_rgb * scale - shift) / divide.
    func channel(_ c: Int) -> (source: Int, scale: Float, mean: Float, std: Float) {
        switch self {
        case .caffe: return (2 - c, 1, Self.caffeMeanBGR[c], 1)
        case .torchvision: return (c, 1 / 255, Self.torchvisionMean[c], Self.torchvisionStd[c])
        }
    }

    /// RGB 0...255 (3, H, W) to the network's input.
    public func apply(_ rgb: Tensor) -> Tensor {
        precondition(rgb.shape.count == 3 && rgb.shape[0] == 3, "need a (3, H, W) RGB picture")
        let plane = rgb.shape[1] * rgb.shape[2]
        var out = Tensor(shape: rgb.shape)
        for c in 0..<3 {
            let (source, scale, mean, std) = channel(c)
            for i in 0..<plane { out.data[c * plane + i] = (rgb.data[source * plane + i] * scale - mean) / std }
        }
        return out
    }

    /// dL/dRGB from dL/dInput: `apply` only reorders the channels and scales each by
    /// scale / std (the mean's shift has no gradient), so the gradient is reordered and scaled
    /// the same way. (Chapter 12 trains a network whose pictures go through VGG.)
    public func backward(_ dInput: Tensor) -> Tensor {
        let plane = dInput.shape[1] * dInput.shape[2]
        var out = Tensor(shape: dInput.shape)
        for c in 0..<3 {
            let (source, scale, _, std) = channel(c)
            for i in 0..<plane { out.data[source * plane + i] = dInput.data[c * plane + i] * scale / std }
        }
        return out
    }

    /// The network's input back to RGB 0...255 (not clamped: an input descended freely may stray outside).
    public func invert(_ input: Tensor) -> Tensor {
        let plane = input.shape[1] * input.shape[2]
        var out = Tensor(shape: input.shape)
        for c in 0..<3 {
            let (source, scale, mean, std) = channel(c)
            for i in 0..<plane { out.data[source * plane + i] = (input.data[c * plane + i] * std + mean) / scale }
        }
        return out
    }
}
