import Tensors
import VGG
import Optimisers
import StyleRepresentation
import StyleDistribution
import StyleTransfer

// The loss that trains the network: chapter 9's loss, of the picture the network paints from a
// photo, with that photo as the content. Johnson et al. call such losses perceptual: they compare
// pictures through a fixed network's features (here VGG19's, as in chapters 7 to 9), not pixel by
// pixel. Its gradient with respect to the painted picture is chapter 9's gradient with respect to
// the image; the network's backward pass (TransformationNetwork.swift) carries it on to the weights.

/// Chapter 9's loss for pictures painted from photos: the style targets fixed (the painting's
/// Gram matrices), the content target each photo's own feature maps.
public struct PerceptualLoss {
    /// Chapter 9's loss, its content targets replaced for each photo.
    public var styleTransfer: StyleTransferLoss

    /// The loss of `weights` on `network` at these layers, the style targets those of `styles`
    /// (RGB 0...255, (3, H, W), at the size the strokes should have), blended by `blend`.
    public init(network: VGG, styles: [Tensor], blend: [Float], contentLayers: [String], styleLayers: [String],
                weights: StyleTransferWeights) {
        let prepared = styles.map(network.preprocessing.apply)
        // No content layers while it is made (the content targets are each photo's, in `evaluate`).
        styleTransfer = StyleTransferLoss(network: network, content: prepared[0], styles: prepared, blend: blend,
                                          contentLayers: [], styleLayers: styleLayers, weights: weights)
        styleTransfer.contentLayers = contentLayers
    }

    /// The same loss with another style term: one of chapter 8b's distribution terms
    /// (`SlicedWassersteinTerm`, `HistogramAndGramTerm`) made from the styles' maps at these layers.
    public init(network: VGG, styles: [Tensor], blend: [Float], contentLayers: [String], styleLayers: [String],
                weights: StyleTransferWeights, style: any StyleTerm) {
        self.init(network: network, styles: styles, blend: blend, contentLayers: contentLayers, styleLayers: styleLayers, weights: weights)
        styleTransfer.style = style
    }

    /// The training steps that share one draw of the sliced term's directions: a draw costs
    /// about what the term's evaluation on the painting would (its maps projected on every
    /// direction and sorted), more than a step's own work of the term, so ten steps share one.
    public static let stepsPerDraw = 10

    /// Before training step `step` (counted from 0): a term that compares the distributions along
    /// random directions (chapter 8b's sliced Wasserstein term) draws new ones every
    /// `stepsPerDraw` steps, draw number step / stepsPerDraw, so that over the training the
    /// network meets the style along many directions and a resumed training draws what an
    /// unbroken one would. Adam, unlike L-BFGS, needs no fixed function between steps. Other terms
    /// stay as they are.
    public mutating func redraw(forStep step: Int) {
        if var sliced = styleTransfer.style as? SlicedWassersteinTerm, sliced.draw != step / Self.stepsPerDraw {
            sliced.redraw(step / Self.stepsPerDraw)
            styleTransfer.style = sliced
        }
    }

    /// The loss of `picture`, painted from `photo` (both RGB 0...255, (3, H, W)), and its
    /// gradient with respect to the picture's RGB values.
    public func evaluate(picture: Tensor, photo: Tensor) -> (parts: LossParts, dPicture: Tensor) {
        let network = styleTransfer.network
        var loss = styleTransfer
        if !loss.contentLayers.isEmpty {
            let outputs = network.forward(network.preprocessing.apply(photo), through: network.architecture.deepest(of: loss.contentLayers))
            loss.contentTargets = Dictionary(uniqueKeysWithValues: loss.contentLayers.map { ($0, outputs[network.layerIndex($0)!]) })
        }
        let (parts, gradient) = loss.evaluate(network.preprocessing.apply(picture))
        return (parts, network.preprocessing.backward(gradient))
    }
}
