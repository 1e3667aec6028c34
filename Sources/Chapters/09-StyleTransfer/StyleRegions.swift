import Tensors
import Kernels
import VGG
import StyleRepresentation

// Spatial control (chapter 10): the picture being made is divided into regions, and each region
// takes its style from the same region of the style images. Each style layer's term becomes a
// sum over the regions: the guided Gram matrix of the picture's region (GuidedGramMatrix.swift)
// against the region's target, the blend of the style images' guided Gram matrices of that
// region.

/// The regions of the picture being made and each region's target Gram matrices.
public struct StyleRegions: Sendable {
    /// Where the regions lie in the picture (resized to each picture the loss is evaluated on).
    public var layout: RegionLayout
    /// For each style layer, each region's target Gram matrix.
    public var targets: [String: [Tensor]]
    /// The guides of the picture's regions (the targets were made with the same kind).
    public var kind: GuideKind

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
    public static func targets(network: FastVGG, styles: [Tensor], layouts: [RegionLayout], blend: [Float], styleLayers: [String],
                               regions: Int, kind: GuideKind = .simple) -> [String: [Tensor]] {
        precondition(styles.count == layouts.count && styles.count == blend.count, "one layout and one weight per style")
        let architecture = network.network.architecture
        var sums: [String: [Tensor?]] = Dictionary(uniqueKeysWithValues: styleLayers.map { ($0, [Tensor?](repeating: nil, count: regions)) })
        var weights: [String: [Float]] = Dictionary(uniqueKeysWithValues: styleLayers.map { ($0, [Float](repeating: 0, count: regions)) })
        for (index, style) in styles.enumerated() {
            let activations = network.forward(style, through: architecture.deepest(of: styleLayers), keeping: Set(styleLayers))
            let layout = layouts[index].resized(height: style.shape[1], width: style.shape[2])
            for layer in styleLayers {
                let features = activations[layer]!
                for region in 0..<regions {
                    let guide = layout.guide(region: region, poolings: architecture.poolings(before: layer), kind: kind)
                    guard guide.contains(where: { $0 > 0 }) else { continue }
                    let gram = guidedGramMatrix(features, guide: guide)
                    var sum = sums[layer]![region] ?? Tensor(shape: gram.shape)
                    for i in 0..<gram.count { sum.data[i] += blend[index] * gram.data[i] }
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
    func guides(at layer: String, architecture: VGGArchitecture, height: Int, width: Int) -> [[Float]] {
        let sized = layout.height == height && layout.width == width ? layout : layout.resized(height: height, width: width)
        return (0..<layout.regions).map { sized.guide(region: $0, poolings: architecture.poolings(before: layer), kind: kind) }
    }
}
