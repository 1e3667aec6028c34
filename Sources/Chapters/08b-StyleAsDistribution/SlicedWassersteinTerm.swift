import Tensors
import StyleRepresentation

// Heitz, Vanhoey, Chambon and Belcour, "A Sliced Wasserstein Loss for Neural Texture Synthesis"
// (CVPR 2021): a Gram matrix keeps only the features' second moments, so it compares two
// distributions by one summary; the sliced Wasserstein distance compares them whole. In one
// dimension the distance between two distributions is found by sorting (Quantiles.swift); in C
// dimensions, project both on a direction, compare the sorted projections, and average over
// many random directions. At one layer, with F the picture's maps as C rows of M positions,
// K directions v_d (as many as the layer has channels) and q_d the style's projections on v_d
// read at M quantiles:
//
//     L = weight / (K M) * sum over d, k of (sort(v_d^T F)_k - q_d(k))^2
//
// Its gradient goes back through the sort: the k-th smallest projection came from some position
// p, and only p's projection moved it, so dL/d(v_d^T F)_p = 2 weight / (K M) (sort_k - q_d(k)) at
// that p, and dL/dF = sum over d of v_d (dL/d(v_d^T F))^T. The sort is piecewise the identity
// after a permutation: between orderings the loss is a quadratic, and the gradient is exact.
//
// The directions are redrawn every few iterations (Heitz et al. draw new ones at every step of
// their descent): with new directions the term measures the distributions along other lines,
// and over a run the picture matches them along many. L-BFGS assumes one fixed function, so its
// memory is cleared at each redraw (DistributionDescent.swift).

/// The sliced Wasserstein style term of chapter 8b at each style layer.
public struct SlicedWassersteinTerm: StyleTerm, Sendable {
    /// The style images' feature maps at each layer, (C, H, W) each, with their blend weights.
    public var styles: [String: [(features: Tensor, weight: Float)]]
    /// The style layers in the order their seeds count them.
    public var layers: [String]
    /// The run's seed, from which each draw's directions come.
    public var seed: UInt64
    /// Which draw of directions the term uses now.
    public private(set) var draw = -1
    /// The directions of this draw at each layer, (K, C), one unit vector per row.
    public private(set) var directions: [String: Tensor] = [:]
    /// The style's projections on each direction, as a distribution, at each layer.
    public private(set) var targets: [String: [WeightedValues]] = [:]

    /// The term for these styles' maps at these layers (each style's maps (C, H, W) at every
    /// layer, blended by `blend`), its first directions drawn from `seed`.
    public init(styles: [[String: Tensor]], blend: [Float], layers: [String], seed: UInt64) {
        precondition(styles.count == blend.count && !styles.isEmpty, "one blend weight per style")
        self.layers = layers
        self.seed = seed
        self.styles = Dictionary(uniqueKeysWithValues: layers.map { layer in
            (layer, zip(styles, blend).map { (features: $0[layer]!, weight: $1) })
        })
        redraw(0)
    }

    /// New directions, and the style's projections on them, for draw number `draw`.
    public mutating func redraw(_ draw: Int) {
        self.draw = draw
        for (index, layer) in layers.enumerated() {
            let channels = styles[layer]![0].features.shape[0]
            let v = randomDirections(count: channels, dimension: channels, seed: directionSeed(run: seed, draw: draw, layer: index))
            directions[layer] = v
            let projected = styles[layer]!.map { (projections(of: $0.features, on: v), $0.weight) }
            targets[layer] = (0..<channels).map { d in WeightedValues(projected.map { (values: $0.0[d], weight: $0.1) }) }
        }
    }

    /// L at `layer` and its gradient with respect to the feature maps (C, H, W).
    public func evaluate(features: Tensor, layer: String, weight: Float) -> (loss: Double, gradient: Tensor) {
        guard let v = directions[layer], let target = targets[layer] else { preconditionFailure("no style at \(layer)") }
        let (c, m) = (features.shape[0], features.shape[1] * features.shape[2])
        let k = v.shape[0]
        let projected = projections(of: features, on: v)
        let scale = Double(weight) / Double(k * m)
        var loss = 0.0
        var dProjections = [[Float]](repeating: [Float](repeating: 0, count: m), count: k)
        for d in 0..<k {
            let order = sortingOrder(projected[d])
            let q = target[d].quantiles(count: m)
            for rank in 0..<m {
                let difference = Double(projected[d][order[rank]]) - Double(q[rank])
                loss += difference * difference
                dProjections[d][order[rank]] = Float(2 * scale * difference)
            }
        }
        // dL/dF[i, p] = sum over d of v[d, i] dL/dprojection_d[p].
        var gradient = Tensor(shape: features.shape)
        for d in 0..<k {
            for i in 0..<c {
                let vi = v[d, i]
                for p in 0..<m { gradient.data[i * m + p] += vi * dProjections[d][p] }
            }
        }
        return (scale * loss, gradient)
    }
}

/// Each direction's projections of the maps: row d holds v_d^T F at every position.
public func projections(of features: Tensor, on directions: Tensor) -> [[Float]] {
    let (c, m) = (features.shape[0], features.shape[1] * features.shape[2])
    precondition(directions.shape[1] == c, "directions of the layer's width")
    return (0..<directions.shape[0]).map { d in
        var row = [Float](repeating: 0, count: m)
        for i in 0..<c {
            let vi = directions[d, i]
            for p in 0..<m { row[p] += vi * features.data[i * m + p] }
        }
        return row
    }
}
