import Tensors

// The content loss as Gatys, Ecker and Bethge write it (equation 1 of "A Neural Algorithm of
// Artistic Style"), beside the one this project computes (ContentLoss.swift, neural-style's):
//
//     paper:        L_content = 1/2 * sum over i, j of (F_ij - P_ij)^2
//     implemented:  L_content = content_weight * mean((F - P)^2) = content_weight / (C H W) * sum (F - P)^2
//
// F_ij is filter i's response at position j of the generated image, P_ij the photo's; the
// article calls the F_l "the feature maps". So the implemented loss is the paper's times
// 2 content_weight / (C H W): at relu4_2 of a 512x512 picture (512 x 64 x 64 values) and the
// default weight 5, that is 10 / 2,097,152, about 4.8e-6. The paper's alpha multiplies the
// whole term; here the content weight does, scaled by the layer's size.

/// 1/2 * sum (F - P)^2: the paper's content loss of one layer.
public func paperContentLoss(features: Tensor, target: Tensor) -> Double {
    precondition(features.count == target.count, "shapes do not match")
    var sum = 0.0
    for i in 0..<features.count {
        let d = Double(features.data[i]) - Double(target.data[i])
        sum += d * d
    }
    return 0.5 * sum
}

/// The factor from the paper's content loss to the implemented one for a layer of
/// `values` = C H W numbers: 2 content_weight / (C H W).
public func implementedOverPaperContentLoss(weight: Float, values: Int) -> Double {
    2 * Double(weight) / Double(values)
}
