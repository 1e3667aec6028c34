import Tensors
import VGG
import StyleRepresentation

// Spatial control: the picture being made is divided into regions, and each region takes its
// style from the same region of the style images. Each style layer's term becomes a sum over the
// regions: the guided Gram matrix of the picture's region (GuidedGramMatrix.swift) against the
// region's target, the blend of the style images' guided Gram matrices of that region. The term
// plugs into chapter 8's and 9's losses as a `StyleTerm` (`RegionStyleTerm` below); the engine's
// fast loss has its own twin of it (FastRegionTerm.swift), tested against this one.

/// The regions of the picture being made and each region's target Gram matrices.
public struct StyleRegions: Sendable {
    /// Where the regions lie in the picture (resized to each picture the loss is evaluated on).
    public var layout: RegionLayout
    /// For each style layer, each region's target Gram matrix.
    public var targets: [String: [Tensor]]
    /// The guides of the picture's regions (the targets were made with the same kind).
    public var kind: GuideKind

    /// Regions laid out as `layout`, with their targets, made with guides of `kind`.
    public init(layout: RegionLayout, targets: [String: [Tensor]], kind: GuideKind = .simple) {
        self.layout = layout
        self.targets = targets
        self.kind = kind
    }

    /// The targets from style images (preprocessed) with their own layouts (of their sizes) and
    /// blend weights: region r's target at a layer is the blend, over the styles in which region
    /// r keeps some of the layer's cells, of their guided Gram matrices there (weights
    /// renormalised over those styles). Every region must keep a cell in some style at every
    /// style layer (the command checks that before it loads anything).
    public static func targets(network: VGG, styles: [Tensor], layouts: [RegionLayout], blend: [Float], styleLayers: [String],
                               regions: Int, kind: GuideKind = .simple) -> [String: [Tensor]] {
        targets(styles: styles, layouts: layouts, blend: blend, styleLayers: styleLayers, regions: regions, kind: kind,
                architecture: network.architecture) { style in
            let outputs = network.forward(style, through: network.architecture.deepest(of: styleLayers))
            return { layer, guide in guidedGramMatrixForward(outputs[network.layerIndex(layer)!], guide: guide) }
        }
    }

    /// The same, with `guidedGrams` running a style image through a network and answering, for
    /// a layer and a guide, the guided Gram matrix there: the plain network's above, the fast
    /// network's in the engine.
    public static func targets(styles: [Tensor], layouts: [RegionLayout], blend: [Float], styleLayers: [String],
                               regions: Int, kind: GuideKind, architecture: VGGArchitecture,
                               guidedGrams: (Tensor) -> (_ layer: String, _ guide: [Float]) -> Tensor) -> [String: [Tensor]] {
        precondition(styles.count == layouts.count && styles.count == blend.count, "one layout and one weight per style")
        var sums: [String: [Tensor?]] = Dictionary(uniqueKeysWithValues: styleLayers.map { ($0, [Tensor?](repeating: nil, count: regions)) })
        var weights: [String: [Float]] = Dictionary(uniqueKeysWithValues: styleLayers.map { ($0, [Float](repeating: 0, count: regions)) })
        for (index, style) in styles.enumerated() {
            let gram = guidedGrams(style)
            let layout = layouts[index].resized(height: style.shape[1], width: style.shape[2])
            for layer in styleLayers {
                for region in 0..<regions {
                    let guide = layout.guide(region: region, poolings: architecture.poolings(before: layer), kind: kind)
                    guard guide.contains(where: { $0 > 0 }) else { continue }
                    let regionGram = gram(layer, guide)
                    var sum = sums[layer]![region] ?? Tensor(shape: regionGram.shape)
                    for i in 0..<regionGram.count { sum.data[i] += blend[index] * regionGram.data[i] }
                    sums[layer]![region] = sum
                    weights[layer]![region] += blend[index]
                }
            }
        }
        var targets: [String: [Tensor]] = [:]
        for layer in styleLayers {
            targets[layer] = (0..<regions).map { region in
                guard var sum = sums[layer]![region] else { preconditionFailure("region \(region) has no style at \(layer)") }
                for i in 0..<sum.count { sum.data[i] /= weights[layer]![region] }
                return sum
            }
        }
        return targets
    }

    /// This layout's guides at `layer` for a picture of `height` x `width`.
    public func guides(at layer: String, architecture: VGGArchitecture, height: Int, width: Int) -> [[Float]] {
        let sized = layout.height == height && layout.width == width ? layout : layout.resized(height: height, width: width)
        return (0..<layout.regions).map { sized.guide(region: $0, poolings: architecture.poolings(before: layer), kind: kind) }
    }
}

/// Spatial control's style term, for chapter 8's and 9's plain losses: at each style layer, one
/// term per region of the picture, weight * mean((G_r - A_r)^2) with G_r the guided Gram matrix
/// of the picture's region r and A_r its target. The regions' layout must be the picture's size.
public struct RegionStyleTerm: StyleTerm {
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
    public func evaluate(features: Tensor, layer: String, weight: Float) -> (loss: Double, gradient: Tensor) {
        let c = features.shape[0]
        let guides = regions.guides(at: layer, architecture: architecture, height: regions.layout.height, width: regions.layout.width)
        var loss = 0.0
        var gradient = Tensor(shape: features.shape)
        for (region, guide) in guides.enumerated() where guide.contains(where: { $0 > 0 }) {
            let gram = guidedGramMatrixForward(features, guide: guide), target = regions.targets[layer]![region]
            // weight * mean((G - A)^2) over the C x C entries, and its gradient 2 weight (G - A) / C^2.
            var sum = 0.0
            var dGram = Tensor(shape: gram.shape)
            for i in 0..<gram.count {
                let difference = gram.data[i] - target.data[i]
                sum += Double(difference) * Double(difference)
                dGram.data[i] = 2 * weight * difference / Float(c * c)
            }
            loss += Double(weight) * sum / Double(c * c)
            let g = guidedGramMatrixBackward(dGram: dGram, features: features, guide: guide)
            for i in 0..<g.count { gradient.data[i] += g.data[i] }
        }
        return (loss, gradient)
    }
}
