import Tensors
import VGG

// Chapter 7, "Content Representation": an image's content, as the network sees it, is the
// activations of one layer. Shallow layers keep nearly every pixel; deep layers (relu4_2, the
// default) keep the objects and their arrangement but let go of exact colours and textures,
// which is what leaves room for a style.

/// An image's content as the network sees it: one layer's feature maps (chapter 7).
public enum ContentRepresentation {
    /// The feature maps (C, H, W) of `layer` for `image` (3, H, W, preprocessed), by the plain path.
    public static func of(_ image: Tensor, network: VGG, layer: String) -> Tensor {
        network.forward(image, through: layer).last!
    }
}
