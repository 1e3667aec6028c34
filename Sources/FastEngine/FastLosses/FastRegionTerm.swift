import Tensors
import Kernels
import VGG
import FastNetwork
import PerceptualControl

// The fast twin of chapter 10's spatial control (Sources/Chapters/10-PerceptualControl,
// StyleRegions.swift): each region's targets and its style term on the fast network's
// channels-last maps, with the guided Gram matrix as a matrix product (Kernels'
// `guidedGramMatrix`). NarrowFastLossTests compare it with the chapter's `RegionStyleTerm`.
// Each region's guide covers the whole picture, so the term is not a sum over tiles' positions:
// it is evaluated whole, and the memory plan refuses to tile it.

extension StyleRegions {
    /// The fast twin of the chapter's `StyleRegions.targets(network:...)`: each region's target
    /// Gram matrices, blended over the style images.
    public static func targets(network: FastVGG, styles: [Tensor], layouts: [RegionLayout], blend: [Float], styleLayers: [String],
                               regions: Int, kind: GuideKind = .simple) -> [String: [Tensor]] {
        let architecture = network.network.architecture
        return targets(styles: styles, layouts: layouts, blend: blend, styleLayers: styleLayers, regions: regions, kind: kind,
                       architecture: architecture) { style in
            let activations = network.forward(style, through: architecture.deepest(of: styleLayers), keeping: Set(styleLayers))
            return { layer, guide in guidedGramMatrix(activations[layer]!, guide: guide) }
        }
    }
}

/// Spatial control's style term on the fast path: at each style layer, weight * mean((G_r - A_r)^2)
/// summed over the regions, its gradient a map of its own. The regions' layout is the picture's size.
public struct FastRegionStyleTerm: FastStyleTerm {
    /// The regions and their targets.
    public var regions: StyleRegions
    /// The network's layers, which set each layer's guides' size.
    public var architecture: VGGArchitecture

    /// The term for these regions on a network of `architecture`.
    public init(regions: StyleRegions, architecture: VGGArchitecture) {
        self.regions = regions
        self.architecture = architecture
    }

    /// The regions' terms at `layer`, summed, and their gradient with respect to the feature maps.
    public func evaluate(features: ChannelsLastMaps, layer: String, weight: Float, times: StageTimes?) -> (loss: Double, gradient: StyleTermGradient) {
        let guides = regions.guides(at: layer, architecture: architecture, height: regions.layout.height, width: regions.layout.width)
        var loss = 0.0
        var gradient = ChannelsLastMaps(height: features.height, width: features.width, channels: features.channels)
        for (region, guide) in guides.enumerated() where guide.contains(where: { $0 > 0 }) {
            let gram = times.measure(.gramMatrices) { guidedGramMatrix(features, guide: guide) }
            let (regionLoss, dGram) = meanSquaredErrorAndGradient(gram.data, target: regions.targets[layer]![region].data, dLoss: weight)
            loss += Double(weight) * regionLoss
            let g = times.measure(.gramMatrices) {
                guidedGramMatrixBackward(dGram: Tensor(shape: gram.shape, data: dGram), features: features, guide: guide)
            }
            accumulate(g, into: &gradient)
        }
        return (loss, .maps(gradient))
    }
}

/// A run's spatial control (chapter 10): where the regions lie in the result and in each style
/// image (any sizes: each is resized, nearest neighbour, to its picture at every scale), and the
/// kind of guides.
public struct RegionStyle: StyleTermMaker {
    /// The regions of the picture being made.
    public var picture: RegionLayout
    /// The regions of each style image.
    public var styles: [RegionLayout]
    /// The share of each cell inside (simple) or only whole cells (inside).
    public var kind: GuideKind

    /// Regions laid out as `picture` in the result and as `styles` in the style images.
    public init(picture: RegionLayout, styles: [RegionLayout], kind: GuideKind = .simple) {
        self.picture = picture
        self.styles = styles
        self.kind = kind
    }

    public var name: String { "spatial control (--content-mask)" }

    /// Each region's targets, and the picture's layout at this scale's size, made once.
    public func term(network: FastVGG, styles images: [Tensor], blend: [Float], layers: [String],
                     height: Int, width: Int, coreSize: Int?) -> FastRegionStyleTerm {
        let targets = StyleRegions.targets(network: network, styles: images, layouts: styles, blend: blend, styleLayers: layers,
                                           regions: picture.regions, kind: kind)
        return FastRegionStyleTerm(regions: StyleRegions(layout: picture.resized(height: height, width: width), targets: targets, kind: kind),
                                   architecture: network.network.architecture)
    }
}
