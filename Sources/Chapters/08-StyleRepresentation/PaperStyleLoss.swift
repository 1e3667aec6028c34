import Tensors

// The style loss of one layer as Gatys, Ecker and Bethge write it (equations 3 and 4), beside
// the one this project computes (StyleLoss.swift and GramMatrix.swift, neural-style's):
//
//     paper:        G_ij = sum over k of F_ik F_jk                (N_l x N_l, not normalised)
//                   E_l  = 1 / (4 N_l^2 M_l^2) * sum over i, j of (G_ij - A_ij)^2
//     implemented:  G    = F F^T / (N_l M_l)                      (normalised by C H W)
//                   E_l  = style_weight * mean((G - A)^2)          (the mean over N_l^2 entries)
//
// with N_l the layer's feature maps (channels) and M_l = H W their size. Putting the first
// into the second: implemented E_l = style_weight / (N_l^4 M_l^2) * sum (G_paper - A_paper)^2,
// which is the paper's E_l times 4 style_weight / N_l^2. The factor does not depend on the
// maps' size but does on their number: relu1_1 (64 maps) counts (512 / 64)^2 = 64 times more,
// relative to the paper, than relu5_1 (512 maps). The paper's total weights the layers with
// w_l (1/5 each for its five layers) and multiplies by beta; here each layer's term has the
// style weight and no 1/5.

/// The paper's style loss of one layer: generated features and the style image's (both
/// (N, H, W), the same size), 1 / (4 N^2 M^2) * sum (G - A)^2 with unnormalised Gram matrices.
public func paperStyleLayerLoss(features: Tensor, styleFeatures: Tensor) -> Double {
    precondition(features.shape == styleFeatures.shape && features.shape.count == 3, "expected two (N, H, W) tensors of one shape")
    let n = features.shape[0], m = features.shape[1] * features.shape[2]
    func gram(_ f: Tensor) -> [Double] {
        var g = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<m { sum += Double(f.data[i * m + k]) * Double(f.data[j * m + k]) }
                g[i * n + j] = sum
            }
        }
        return g
    }
    let g = gram(features), a = gram(styleFeatures)
    var sum = 0.0
    for i in 0..<(n * n) { sum += (g[i] - a[i]) * (g[i] - a[i]) }
    return sum / (4 * Double(n * n) * Double(m * m))
}

/// The factor from the paper's E_l to the implemented style loss of a layer with `maps`
/// feature maps: 4 style_weight / N_l^2.
public func implementedOverPaperStyleLoss(weight: Float, maps: Int) -> Double {
    4 * Double(weight) / Double(maps * maps)
}
