import Foundation
import Pictures

// Colour control, after Gatys, Ecker, Bethge, Hertzmann and Shechtman, "Controlling Perceptual
// Factors in Neural Style Transfer" (CVPR 2017), section 5. A stylised photo takes the
// painting's colours along with its strokes. Three ways keep the photo's colours instead, one
// after the run and two that prepare the pictures before it (`ColourPreservation`, which the run
// applies in one place: `prepare` before, `finish` after):
//
//  - afterwards (neural-style's --original_colors, OriginalColors.swift): the result's luminance
//    with the photo's colour differences, the transfer itself unchanged.
//  - luminance only: the transfer runs on brightness alone. The style's luminance is first moved
//    to the photo's mean and spread, L' = (sigma_photo / sigma_style) (L - mu_style) + mu_photo,
//    so that the painting's strokes are drawn in the photo's range of light and dark; the result's
//    luminance then gets the photo's colour differences back.
//  - colour matching: the style image's colours are moved so that their mean and covariance are
//    the photo's, x' = A (x - mu_style) + mu_photo with A = Sigma_photo^(1/2) Sigma_style^(-1/2),
//    and the transfer runs on that recoloured painting.
//
// Which square root: a covariance matrix has many (any R with R R^T = Sigma); the two usual
// choices are the Cholesky factor and the symmetric one from the eigenvalue decomposition. This
// file uses the symmetric one, Sigma^(1/2) = V diag(sqrt(lambda)) V^T: it does not depend on the order
// of the colour channels (the Cholesky factor of the same colours listed as BGR gives another
// A), and for colours that already match it gives A = identity exactly.

/// How the photo's colours are kept.
public enum ColourPreservation: String, Sendable, CaseIterable {
    /// The transfer as it is; the result's luminance with the photo's colour differences.
    case afterwards
    /// Transfer on luminance alone, the photo's colour differences put back.
    case luminance
    /// The style's colours matched to the photo's mean and covariance before the transfer.
    case match

    /// The pictures the transfer runs on: the content and the styles as this way needs them
    /// (RGB, 0...255).
    public func prepare(content: FloatImage, styles: [FloatImage]) -> (content: FloatImage, styles: [FloatImage]) {
        switch self {
        case .afterwards:
            return (content, styles)
        case .luminance:
            return (greyLuminance(content), styles.map { matchingLuminance($0, to: content) })
        case .match:
            return (content, styles.map { matchingColours($0, to: content) })
        }
    }

    /// The picture to show for a result of the transfer: for `.afterwards` and `.luminance`, its
    /// luminance with `content`'s colour differences; for `.match`, the result itself.
    public func finish(_ picture: FloatImage, content: FloatImage) -> FloatImage {
        switch self {
        case .afterwards, .luminance: return withOriginalColors(picture, content: content.resized(width: picture.width, height: picture.height))
        case .match: return picture
        }
    }
}

/// Each pixel's luminance (BT.601, as `withOriginalColors` uses), as a grey RGB picture.
public func greyLuminance(_ image: FloatImage) -> FloatImage {
    let y = luminancePlane(image)
    return FloatImage(channels: 3, height: image.height, width: image.width, pixels: y + y + y)
}

/// The style's luminance moved to the photo's mean and standard deviation, as a grey picture.
public func matchingLuminance(_ style: FloatImage, to content: FloatImage) -> FloatImage {
    let s = luminancePlane(style), c = luminancePlane(content)
    let (muS, sigmaS) = meanAndDeviation(s), (muC, sigmaC) = meanAndDeviation(c)
    let gain = sigmaS > 0 ? sigmaC / sigmaS : 0
    let y = s.map { Float(gain * (Double($0) - muS) + muC) }
    return FloatImage(channels: 3, height: style.height, width: style.width, pixels: y + y + y)
}

/// The style's colours moved to the photo's mean and covariance: x' = A (x - mu_s) + mu_c with
/// A = Sigma_c^(1/2) Sigma_s^(-1/2), both symmetric square roots.
public func matchingColours(_ style: FloatImage, to content: FloatImage) -> FloatImage {
    let (muS, sigmaS) = colourStatistics(style), (muC, sigmaC) = colourStatistics(content)
    let a = multiply(symmetricPower(sigmaC, 0.5), symmetricPower(sigmaS, -0.5))
    let plane = style.width * style.height
    var result = style
    for i in 0..<plane {
        let x = (0..<3).map { Double(style.pixels[$0 * plane + i]) - muS[$0] }
        for row in 0..<3 {
            result.pixels[row * plane + i] = Float(a[row][0] * x[0] + a[row][1] * x[1] + a[row][2] * x[2] + muC[row])
        }
    }
    return result
}

// ---- The statistics.

/// Each pixel's luminance (`luminance` of OriginalColors.swift), row by row.
public func luminancePlane(_ image: FloatImage) -> [Float] {
    precondition(image.channels == 3, "need an RGB picture")
    let plane = image.width * image.height
    return (0..<plane).map { luminance(image.pixels[$0], image.pixels[plane + $0], image.pixels[2 * plane + $0]) }
}

func meanAndDeviation(_ values: [Float]) -> (mean: Double, deviation: Double) {
    let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
    return (mean, variance.squareRoot())
}

/// The mean colour and the 3 x 3 covariance of an RGB picture's pixels.
public func colourStatistics(_ image: FloatImage) -> (mean: [Double], covariance: [[Double]]) {
    precondition(image.channels == 3, "need an RGB picture")
    let plane = image.width * image.height
    var mean = [0.0, 0.0, 0.0]
    for c in 0..<3 { for i in 0..<plane { mean[c] += Double(image.pixels[c * plane + i]) } }
    mean = mean.map { $0 / Double(plane) }
    var covariance = [[Double]](repeating: [0, 0, 0], count: 3)
    for i in 0..<plane {
        let x = (0..<3).map { Double(image.pixels[$0 * plane + i]) - mean[$0] }
        for r in 0..<3 { for c in 0..<3 { covariance[r][c] += x[r] * x[c] } }
    }
    return (mean, covariance.map { $0.map { $0 / Double(plane) } })
}

// ---- The symmetric square root.

/// M^p for a symmetric positive semi-definite 3 x 3 M: V diag(lambda^p) V^T from Jacobi's
/// eigenvalue method. Eigenvalues below 1e-6 of the largest (a picture of one colour, or of
/// grey only) are raised to it, so that the inverse root stays finite.
public func symmetricPower(_ m: [[Double]], _ p: Double) -> [[Double]] {
    let (values, vectors) = symmetricEigen(m)
    let floor = max(values.max() ?? 0, 1e-12) * 1e-6
    let powered = values.map { pow(max($0, floor), p) }
    var result = [[Double]](repeating: [0, 0, 0], count: 3)
    for r in 0..<3 {
        for c in 0..<3 {
            for k in 0..<3 { result[r][c] += vectors[r][k] * powered[k] * vectors[c][k] }
        }
    }
    return result
}

/// Eigenvalues and eigenvectors (the columns of V) of a symmetric 3 x 3 matrix, by cyclic Jacobi
/// rotations: each rotation zeroes one off-diagonal entry; a few sweeps leave a diagonal matrix.
public func symmetricEigen(_ m: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
    var a = m
    var v: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    for _ in 0..<50 {
        let off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2]
        if off < 1e-30 * (a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2] + 1e-300) { break }
        for (p, q) in [(0, 1), (0, 2), (1, 2)] where a[p][q] != 0 {
            // The rotation angle that zeroes a[p][q] (Golub and Van Loan, 8.5.2).
            let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
            let c = 1 / (t * t + 1).squareRoot(), s = t * c
            for k in 0..<3 {   // A J: columns p and q
                let (akp, akq) = (a[k][p], a[k][q])
                a[k][p] = c * akp - s * akq
                a[k][q] = s * akp + c * akq
            }
            for k in 0..<3 {   // J^T A: rows p and q
                let (apk, aqk) = (a[p][k], a[q][k])
                a[p][k] = c * apk - s * aqk
                a[q][k] = s * apk + c * aqk
            }
            for k in 0..<3 {
                let (vkp, vkq) = (v[k][p], v[k][q])
                v[k][p] = c * vkp - s * vkq
                v[k][q] = s * vkp + c * vkq
            }
        }
    }
    return ([a[0][0], a[1][1], a[2][2]], v)
}

func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    (0..<3).map { r in (0..<3).map { c in (0..<3).reduce(0.0) { $0 + a[r][$1] * b[$1][c] } } }
}
