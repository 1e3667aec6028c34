import Tensors
import Kernels
import VGG
import FastNetwork
import PerceptualControl

// The fast twin of chapter 10's spatial control (Sources/Chapters/10-PerceptualControl,
// StyleRegions.swift): each region's targets and its style term on the fast network's
// channels-last maps, with the guided Gram matrix as a matrix product (Kernels'
// `guidedGramMatrix`). FastRegionTermTests compare it with the chapter's `RegionStyleTerm`.

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

/// The regions' style term at one layer, weight * mean((G_r - A_r)^2) summed over the regions,
/// and its gradient with respect to the layer's feature maps (a map of its own). The regions'
/// layout is the picture's size.
public func fastRegionTerm(_ regions: StyleRegions, features: ChannelsLastMaps, layer: String, architecture: VGGArchitecture,
                           weight: Float, times: StageTimes? = nil) -> (loss: Double, gradient: ChannelsLastMaps) {
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
    return (loss, gradient)
}
