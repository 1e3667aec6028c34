import Tensors
import StyleRepresentation

// Scale control, after Gatys, Ecker, Bethge, Hertzmann and Shechtman, "Controlling Perceptual
// Factors in Neural Style Transfer" (CVPR 2017), section 6: the shallow style layers hold a
// painting's fine texture, the deep ones its larger structures, so the two can come from two
// paintings. The paper's own method is in two steps (a new style image made from the fine
// painting's texture and the coarse one's structure, then the transfer with it); this project
// approximates it in one: each style layer takes its target Gram matrix from the one painting
// chosen for it instead of from the blend of all.

extension StyleRepresentation {
    /// Each style layer's target from the style images' Gram matrices `grams`: their blend
    /// (weights normalised to sum to 1), except that a layer named in `sources` takes the Gram
    /// matrix of that one style image (its index) alone.
    public static func targets(grams: [[String: Tensor]], blend: [Float], sources: [String: Int] = [:]) -> [String: Tensor] {
        var targets = Self.blend(grams, weights: blend)
        for (layer, source) in sources where targets[layer] != nil { targets[layer] = grams[source][layer] }
        return targets
    }
}
