import StyleRepresentation

// Chapter 9, "Styling an Image": the total loss of "A Neural Algorithm of Artistic Style", with
// the exact conventions of jcjohnson/neural-style (docs/DESIGN.md), whose gradient with
// respect to the pixels the optimiser follows.
//
//   content: content_weight * mean((F_l(x) - F_l(c))^2)        for each content layer l
//   style:   style_weight * mean((G_l(x) - A_l)^2)             for each style layer l,
//            G_l = F_l F_l^T / (C_l H_l W_l)
//   tv:      tv_weight * 0.5 * sum of squared neighbour differences of the image
//   total = content + style + tv

/// The weights of the terms: neural-style's defaults, written here once.
public struct StyleTransferWeights: Sendable {
    /// The content term's weight (neural-style's 5).
    public var content: Float
    /// The style term's weight (neural-style's 100).
    public var style: Float
    /// The total variation's weight (neural-style's 0.001).
    public var totalVariation: Float
    /// How the style layers weigh against each other (neural-style's equal terms by default).
    public var styleLayers: StyleLayerWeighting
    /// The weights, neural-style's by default.
    public init(content: Float = 5, style: Float = 100, totalVariation: Float = 1e-3, styleLayers: StyleLayerWeighting = .equal) {
        self.content = content
        self.style = style
        self.totalVariation = totalVariation
        self.styleLayers = styleLayers
    }

    /// The style weight of a layer with `maps` feature maps.
    public func style(maps: Int) -> Float { style * styleLayers.factor(maps: maps) }
}

/// The layers neural-style uses by default.
public enum DefaultLayers {
    /// The content layer: relu4_2.
    public static let content = ["relu4_2"]
    /// The style layers: relu1_1 to relu5_1, the first of each block.
    public static let style = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
}
