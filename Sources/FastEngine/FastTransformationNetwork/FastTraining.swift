import Tensors
import VGG
import Optimisers
import StyleTransfer
import StyleRepresentation
import FastNetwork
import FastLosses
import TransformationNetwork

// The engine's twin of chapter 12's training (Training.swift, PerceptualLoss.swift): the same
// crops, the same loss and the same Adam on the weights, with the fast network, the fast VGG and
// chapter 9's fast loss (FastStyleTransferLoss) doing the work.

/// The fast twin of the chapter's `PerceptualLoss`: chapter 9's fast loss of a picture painted
/// from a photo, the photo its content.
public struct FastPerceptualLoss {
    public let network: FastVGG
    public let contentLayers: [String], styleLayers: [String]
    public let weights: StyleTransferWeights
    /// How the style layers' features are compared with the style's (`--style-loss`).
    public private(set) var style: any FastStyleTerm

    /// The loss of `weights` on `network` at these layers, the style targets those of `styles`
    /// (RGB 0...255, (3, H, W)), blended by `blend`, compared by `styleLoss`'s terms (chapter 8's
    /// Gram matrices unless told): a distribution term (chapter 8b) is made for square crops of
    /// side `crop`, the pictures it will measure.
    public init(network: FastVGG, styles: [Tensor], blend: [Float], contentLayers: [String], styleLayers: [String],
                weights: StyleTransferWeights, styleLoss: any StyleTermMaker = GramMatrixStyle(), crop: Int = 0) {
        precondition(crop > 0 || styleLoss is GramMatrixStyle, "a distribution term is made for one size of crop")
        self.network = network
        self.contentLayers = contentLayers
        self.styleLayers = styleLayers
        self.weights = weights
        style = styleLoss.term(network: network, styles: styles.map(network.network.preprocessing.apply), blend: blend,
                               layers: styleLayers, height: crop, width: crop, coreSize: nil)
    }

    /// The chapter's `redraw(forStep:)`: the sliced Wasserstein term draws new directions every
    /// `PerceptualLoss.stepsPerDraw` steps.
    public mutating func redraw(forStep step: Int) {
        if var redrawn = style as? any RedrawnStyleTerm {
            redrawn.redraw(step / PerceptualLoss.stepsPerDraw)
            style = redrawn
        }
    }

    /// The loss of `picture`, painted from `photo` (both RGB 0...255, (3, H, W)), and its gradient
    /// with respect to the picture's RGB values.
    public func evaluate(picture: Tensor, photo: Tensor) -> (parts: LossParts, dPicture: Tensor) {
        let preprocessing = network.network.preprocessing
        let loss = FastStyleTransferLoss(network: network, contentLayers: contentLayers, styleLayers: styleLayers, weights: weights,
                                         contentTargets: FastStyleTransferLoss.contentTargets(network: network, content: preprocessing.apply(photo),
                                                                                              layers: contentLayers, coreSize: nil),
                                         style: style)
        let (parts, gradient) = loss.evaluate(preprocessing.apply(picture))
        return (parts, preprocessing.backward(gradient))
    }
}

/// The fast twin of the chapter's `Training`.
public struct FastTraining {
    /// The weights, the chapter's network (what a model file holds).
    public private(set) var network: TransformationNetwork
    var fast: FastTransformationNetwork
    public var loss: FastPerceptualLoss
    public let settings: TrainingSettings
    public var optimiser: Adam
    public var crops: RandomCrops
    public private(set) var steps = 0

    /// A new network of `settings`, as the chapter's `Training` makes it, trained with `loss` on `photos`.
    public init(photos: [Tensor], loss: FastPerceptualLoss, settings: TrainingSettings) {
        precondition(settings.crop % 4 == 0, "a crop that is a multiple of 4")
        self.loss = loss
        self.settings = settings
        network = TransformationNetwork(width: settings.width, residualBlocks: settings.residualBlocks, seed: settings.seed)
        fast = FastTransformationNetwork(network)
        optimiser = Adam(learningRate: settings.learningRate)
        crops = RandomCrops(photos: photos, side: settings.crop, seed: settings.seed &+ 0x5EED)
    }

    /// The training resumed from `checkpoint` (made under the same settings and photos).
    public init(photos: [Tensor], loss: FastPerceptualLoss, settings: TrainingSettings, resumingFrom checkpoint: TrainingCheckpoint) {
        self.init(photos: photos, loss: loss, settings: settings)
        network = checkpoint.network
        fast = FastTransformationNetwork(network)
        (optimiser.m, optimiser.v, optimiser.t) = checkpoint.adam
        crops.generator = checkpoint.generator
        steps = checkpoint.steps
    }

    /// The checkpoint of this training, its settings in words `settings`.
    public func checkpoint(settings: String) -> TrainingCheckpoint {
        TrainingCheckpoint(network: network, adam: (optimiser.m, optimiser.v, optimiser.t), generator: crops.generator, steps: steps, settings: settings)
    }

    /// One step, the chapter's `Training.step` with the fast passes measuring each crop.
    public mutating func step() -> LossParts {
        loss.redraw(forStep: steps)
        let (fast, loss) = (self.fast, self.loss)
        var painted: Tensor? = nil
        let parts = Training.step(network: &network, optimiser: &optimiser, crops: &crops, batch: settings.batch) { photo in
            let (picture, tape) = fast.forward(photo)
            painted = picture
            let (parts, dPicture) = loss.evaluate(picture: picture, photo: photo)
            return (parts, fast.backward(dPicture: dPicture, tape: tape).flatMap(\.data))
        }
        self.fast = FastTransformationNetwork(network)
        lastPainted = painted
        steps += 1
        return parts
    }

    /// The last crop the last step painted (RGB 0...255, (3, crop, crop)), before its weights moved:
    /// what the live preview shows of a training.
    public private(set) var lastPainted: Tensor? = nil
}
