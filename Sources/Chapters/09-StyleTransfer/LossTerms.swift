// Chapter 9, "Styling an Image": the total loss of "A Neural Algorithm of Artistic Style", with
// the exact conventions of jcjohnson/neural-style (docs/DESIGN.md), whose gradient with
// respect to the pixels the optimiser follows.
//
//   content: content_weight * mean((F_l(x) - F_l(c))^2)        for each content layer l
//   style:   style_weight * mean((G_l(x) - A_l)^2)             for each style layer l,
//            G_l = F_l F_l^T / (C_l H_l W_l)
//   tv:      tv_weight * 0.5 * sum of squared neighbour differences of the image
//   total = content + style + tv

public struct StyleTransferWeights: Sendable {
    public var content: Float = 5
    public var style: Float = 100
    public var totalVariation: Float = 1e-3
    /// How the style layers weigh against each other (neural-style's equal terms by default).
    public var styleLayers: StyleLayerWeighting = .equal
    public init(content: Float = 5, style: Float = 100, totalVariation: Float = 1e-3, styleLayers: StyleLayerWeighting = .equal) {
        self.content = content
        self.style = style
        self.totalVariation = totalVariation
        self.styleLayers = styleLayers
    }

    /// The style weight of a layer with `maps` feature maps.
    public func style(maps: Int) -> Float { style * styleLayers.factor(maps: maps) }
}

/// How the style layers' terms weigh against each other.
public enum StyleLayerWeighting: String, Sendable, CaseIterable {
    /// Each layer's term as it is: neural-style's convention, and this project's default. Relative
    /// to the paper it weighs a layer of N maps by 1/N^2 (PaperStyleLoss.swift): relu5_1's 512
    /// maps count 64 times less than relu1_1's 64.
    case equal
    /// The paper's: each term times (N / 64)^2, which turns the implemented E_l into the paper's
    /// E_l times one factor for every layer (4 style_weight / 64^2), so the layers weigh alike
    /// in the paper's sense (its w_l all equal), relu1_1's term unchanged.
    case paper

    public func factor(maps: Int) -> Float {
        switch self {
        case .equal: return 1
        case .paper: return Float(maps * maps) / Float(64 * 64)
        }
    }
}

/// One evaluation's parts, in Double.
public struct LossParts: Sendable {
    public var content: Double = 0
    public var style: Double = 0
    public var totalVariation: Double = 0
    public var total: Double { content + style + totalVariation }
}

/// The layers neural-style uses by default.
public enum DefaultLayers {
    public static let content = ["relu4_2"]
    public static let style = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
}
