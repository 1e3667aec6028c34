import Tensors
import Pictures

// Chapter 4, "Shared Weights and Biases".
//
// Every hidden neuron of chapter 3 could have its own 5x5 weights. Instead, all 24x24 of them
// share one kernel and one bias: neuron (j, k) computes
//
//     sigma(b + sum over l, m of w[l][m] * a[j + l][k + m])
//
// so they all detect the same feature, each at its own place. The map from input to hidden
// layer is a *feature map*, and computing it is what deep learning calls a convolution (without
// padding, stride 1) of the input with the kernel: strictly a cross-correlation, since the kernel
// is not flipped (Notebooks/04-shared-weights.md). Several kernels give several feature maps: here three.

/// Three hand-set 5x5 kernels, each a feature detector: positive weights where the feature has
/// ink, negative around it. Empty paper gives 0; the negative weights outweigh the positive ones
/// (each kernel sums to -1 or -0.5), so a flat patch of ink gives a negative response.
public enum HandSetKernels {
    /// Ink down the middle column, none beside it.
    public static let verticalLine: [Float] = [
        -1, -1, 2, -1, -1,
        -1, -1, 2, -1, -1,
        -1, -1, 2, -1, -1,
        -1, -1, 2, -1, -1,
        -1, -1, 2, -1, -1,
    ].map { $0 / 10 }
    /// Ink along the middle row, none above or below it.
    public static let horizontalLine: [Float] = [
        -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1,
         2, 2, 2, 2, 2,
        -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1,
    ].map { $0 / 10 }
    /// An L-shaped corner: ink down the middle column's top half and along the middle row's right half.
    public static let corner: [Float] = [
        -1, -1, 3, -1, -1,
        -1, -1, 3, -1, -1,
        -1, -1, 3, 3, 3,
        -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1,
    ].map { $0 / 10 }

    /// The three kernels' names, in order.
    public static let names = ["vertical line", "horizontal line", "corner"]

    /// The three kernels as one (3, 1, 5, 5) weight tensor.
    public static var weights: Tensor { Tensor(shape: [3, 1, 5, 5], data: verticalLine + horizontalLine + corner) }
}

/// A layer of feature maps: K kernels of size k x k shared across the whole input.
public struct FeatureMapLayer: Sendable {
    /// (K, 1, k, k)
    public var weights: Tensor
    /// (K)
    public var biases: Tensor

    /// A layer of `weights.shape[0]` feature maps, kernels (maps, 1, 5, 5) and one shared bias
    /// each.
    public init(weights: Tensor, biases: Tensor) {
        self.weights = weights
        self.biases = biases
    }

    /// input (1, 28, 28) -> the K feature maps' weighted sums, (K, 24, 24) for 5x5 kernels.
    public func weightedSums(_ input: Tensor) -> Tensor {
        convolutionForward(input: input, weights: weights, bias: biases)
    }

    /// The feature maps' activations, sigma(weighted sum), as in the article.
    public func featureMaps(_ input: Tensor) -> Tensor { sigmoidForward(weightedSums(input)) }
}

/// The input moved by (dx, dy) pixels, with zeros shifted in.
public func shifted(_ image: Tensor, dx: Int, dy: Int) -> Tensor {
    let (c, h, w) = (image.shape[0], image.shape[1], image.shape[2])
    var out = Tensor(shape: image.shape)
    for channel in 0..<c {
        for y in 0..<h where y - dy >= 0 && y - dy < h {
            for x in 0..<w where x - dx >= 0 && x - dx < w { out[channel, y, x] = image[channel, y - dy, x - dx] }
        }
    }
    return out
}

/// Each channel of a (C, H, W) tensor as a picture on the shared scale -limit...limit (white
/// for 0, red positive, blue negative), so that maps drawn with the same limit compare.
public func channelPictures(_ maps: Tensor, limit: Float, enlargedBy scale: Int = 4) -> [FloatImage] {
    let (c, h, w) = (maps.shape[0], maps.shape[1], maps.shape[2])
    let planes = (0..<c).map { Array(maps.data[($0 * h * w)..<(($0 + 1) * h * w)]) }
    return DivergingScale.pictures(planes, height: h, width: w, limit: limit, enlargedBy: scale)
}

/// The largest magnitude in any of `tensors`: the limit for drawing them on one scale.
public func sharedLimit(_ tensors: [Tensor]) -> Float {
    tensors.map { $0.data.map(abs).max() ?? 0 }.max() ?? 0
}
