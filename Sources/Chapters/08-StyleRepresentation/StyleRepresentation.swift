import Tensors
import VGG

// Chapter 8, "Style Representation": an image's style is the Gram matrices of its feature maps
// at several layers. Where the content representation keeps what is where, the Gram matrices
// keep only which features occur together, so matching them reproduces textures, colours and
// brush strokes without the arrangement of the picture.

/// An image's style as the network sees it: the Gram matrices of several layers' feature maps
/// (chapter 8).
public enum StyleRepresentation {
    /// The Gram matrix at each of `layers` for `image` (3, H, W, preprocessed), by the plain path.
    public static func of(_ image: Tensor, network: VGG, layers: [String]) -> [String: Tensor] {
        let outputs = network.forward(image, through: network.architecture.deepest(of: layers))
        var grams: [String: Tensor] = [:]
        for layer in layers { grams[layer] = gramMatrixForward(outputs[network.layerIndex(layer)!]) }
        return grams
    }

    /// The blend of several styles' Gram matrices, with weights normalised to sum to 1 (how
    /// neural-style mixes several style images).
    public static func blend(_ grams: [[String: Tensor]], weights: [Float]) -> [String: Tensor] {
        precondition(grams.count == weights.count && !grams.isEmpty, "one weight per style")
        let total = weights.reduce(0, +)
        var blended: [String: Tensor] = [:]
        for (styleGrams, weight) in zip(grams, weights) {
            for (layer, gram) in styleGrams {
                var sum = blended[layer] ?? Tensor(shape: gram.shape)
                for i in 0..<gram.count { sum.data[i] += gram.data[i] * weight / total }
                blended[layer] = sum
            }
        }
        return blended
    }
}
