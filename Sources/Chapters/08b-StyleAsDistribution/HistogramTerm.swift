import Tensors
import StyleRepresentation

// Risser, Wilmot and Barnes, "Stable and Controllable Neural Texture Synthesis and Style Transfer
// Using Histogram Losses" (2017): match each channel's histogram, not only the channels' second
// moments. Each channel of the picture's maps is remapped to the style's histogram: the value of
// rank k among the M positions becomes the style channel's quantile at (k + 0.5) / M
// (Quantiles.swift), giving R, the maps the picture's would be with the style's histograms and
// their own order. The term pulls the maps towards R, held fixed:
//
//     L = weight * mean((F - R)^2),      dL/dF = 2 weight / (C M) (F - R).
//
// Held fixed, R needs no gradient of its own; and since R is F's values replaced rank for rank,
// away from ties this is also the gradient of the sum over channels of the sorted values'
// squared differences from the quantiles: the histogram term is the sliced Wasserstein term with
// the channels themselves as its directions. Risser et al.'s style loss is this term together
// with the Gram matrix term (HistogramAndGramTerm): the histograms alone leave how channels
// vary together free, and the Gram matrices alone the shape of each channel's distribution.

/// The histogram term of chapter 8b: each channel's values matched to the style's.
public struct HistogramTerm: StyleTerm, Sendable {
    /// Each style layer's channel distributions, blended over the styles.
    public var targets: [String: [WeightedValues]]

    /// The term for these styles' maps (each style's maps (C, H, W) at every layer), blended by `blend`.
    public init(styles: [[String: Tensor]], blend: [Float], layers: [String]) {
        precondition(styles.count == blend.count && !styles.isEmpty, "one blend weight per style")
        targets = Dictionary(uniqueKeysWithValues: layers.map { layer in
            let channels = styles[0][layer]!.shape[0]
            return (layer, (0..<channels).map { c in WeightedValues(zip(styles, blend).map { (values: channel(c, of: $0[layer]!), weight: $1) }) })
        })
    }

    /// R at `layer`: each channel of `features` (C, H, W) given the style's histogram, in its own order.
    public func remapped(_ features: Tensor, layer: String) -> Tensor {
        guard let target = targets[layer] else { preconditionFailure("no style at \(layer)") }
        let m = features.shape[1] * features.shape[2]
        var r = Tensor(shape: features.shape)
        for c in 0..<features.shape[0] {
            let order = sortingOrder(channel(c, of: features))
            let q = target[c].quantiles(count: m)
            for rank in 0..<m { r.data[c * m + order[rank]] = q[rank] }
        }
        return r
    }

    /// L at `layer` and its gradient with respect to the feature maps, R held fixed.
    public func evaluate(features: Tensor, layer: String, weight: Float) -> (loss: Double, gradient: Tensor) {
        let r = remapped(features, layer: layer)
        return (Double(weight) * meanSquaredErrorForward(features, target: r),
                meanSquaredErrorBackward(features, target: r, dLoss: weight))
    }
}

/// Risser et al.'s style loss: the Gram matrix term (chapter 8) plus the histogram term, the
/// latter's weight `histogramFactor` times the layer's style weight.
public struct HistogramAndGramTerm: StyleTerm, Sendable {
    public var gram: GramMatrixTerm
    public var histogram: HistogramTerm
    public var histogramFactor: Float

    public init(gram: GramMatrixTerm, histogram: HistogramTerm, histogramFactor: Float) {
        self.gram = gram
        self.histogram = histogram
        self.histogramFactor = histogramFactor
    }

    public func evaluate(features: Tensor, layer: String, weight: Float) -> (loss: Double, gradient: Tensor) {
        let (gramLoss, gramGradient) = gram.evaluate(features: features, layer: layer, weight: weight)
        let (histogramLoss, histogramGradient) = histogram.evaluate(features: features, layer: layer, weight: weight * histogramFactor)
        var gradient = gramGradient
        for i in 0..<gradient.count { gradient.data[i] += histogramGradient.data[i] }
        return (gramLoss + histogramLoss, gradient)
    }
}

/// Channel `c` of maps (C, H, W), its H x W values in order.
public func channel(_ c: Int, of features: Tensor) -> [Float] {
    let m = features.shape[1] * features.shape[2]
    return Array(features.data[(c * m)..<((c + 1) * m)])
}
