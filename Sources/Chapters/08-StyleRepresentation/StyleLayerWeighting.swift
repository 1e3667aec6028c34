// How the style layers' terms weigh against each other: neural-style's equal terms, or the
// paper's weighting (PaperStyleLoss.swift shows the factor between the two).

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

    /// The factor that multiplies the term of a layer with `maps` feature maps.
    public func factor(maps: Int) -> Float {
        switch self {
        case .equal: return 1
        case .paper: return Float(maps * maps) / Float(64 * 64)
        }
    }
}
