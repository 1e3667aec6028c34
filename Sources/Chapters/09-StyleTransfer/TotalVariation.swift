import Tensors

// The total variation loss of neural-style: the one term of the loss that looks at the pixels
// themselves, not at features. Gatys et al.'s paper has no such term; Mahendran and Vedaldi
// ("Understanding Deep Image Representations by Inverting Them", 2015) used it to keep images
// reconstructed from a network smooth, and jcjohnson/neural-style adds it with a small weight
// so the result has less high-frequency noise.

/// Total variation 0.5 * sum over channels and positions of (x[y+1,x] - x[y,x])^2 +
/// (x[y,x+1] - x[y,x])^2: small when neighbouring pixels agree, so it smooths the image.
public func totalVariationForward(_ image: Tensor) -> Double {
    let (channels, height, width) = (image.shape[0], image.shape[1], image.shape[2])
    var sum: Double = 0
    for c in 0..<channels {
        for y in 0..<height {
            for x in 0..<width {
                let v = Double(image[c, y, x])
                if y + 1 < height { let d = Double(image[c, y + 1, x]) - v; sum += d * d }
                if x + 1 < width { let d = Double(image[c, y, x + 1]) - v; sum += d * d }
            }
        }
    }
    return 0.5 * sum
}

/// Each difference d = x[b] - x[a] contributes d to x[b]'s gradient and -d to x[a]'s.
public func totalVariationBackward(_ image: Tensor, dLoss: Float = 1) -> Tensor {
    let (channels, height, width) = (image.shape[0], image.shape[1], image.shape[2])
    var gradient = Tensor(shape: image.shape)
    for c in 0..<channels {
        for y in 0..<height {
            for x in 0..<width {
                let v = image[c, y, x]
                if y + 1 < height {
                    let d = (image[c, y + 1, x] - v) * dLoss
                    gradient[c, y + 1, x] += d
                    gradient[c, y, x] -= d
                }
                if x + 1 < width {
                    let d = (image[c, y, x + 1] - v) * dLoss
                    gradient[c, y, x + 1] += d
                    gradient[c, y, x] -= d
                }
            }
        }
    }
    return gradient
}
