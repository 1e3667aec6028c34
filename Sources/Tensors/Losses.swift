// The losses of style transfer (DESIGN.md section 3), as forward/backward pairs.
// Sums are accumulated in Double: a 512x512 layer has millions of terms.
import Foundation

/// mean((x - target)^2) over all elements.
public func meanSquaredErrorForward(_ x: Tensor, target: Tensor) -> Double {
    precondition(x.count == target.count, "shapes do not match")
    var sum: Double = 0
    for i in 0..<x.count {
        let d = Double(x.data[i] - target.data[i])
        sum += d * d
    }
    return sum / Double(x.count)
}

/// d/dx mean((x - t)^2) = 2 (x - t) / N, times the upstream gradient `dLoss`.
public func meanSquaredErrorBackward(_ x: Tensor, target: Tensor, dLoss: Float = 1) -> Tensor {
    let scale = 2 * dLoss / Float(x.count)
    return Tensor(shape: x.shape, data: (0..<x.count).map { (x.data[$0] - target.data[$0]) * scale })
}

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

/// Softmax turns scores into probabilities: p_i = e^(z_i) / sum_j e^(z_j) (computed after
/// subtracting the largest score, which changes nothing but avoids overflow).
public func softmax(_ logits: Tensor) -> Tensor {
    let largest = logits.data.max() ?? 0
    let exps = logits.data.map { Float(Foundation.exp(Double($0 - largest))) }
    let sum = exps.reduce(0, +)
    return Tensor(shape: logits.shape, data: exps.map { $0 / sum })
}

/// The cross-entropy of the softmax of `logits` against the true class: -log p_label.
public func softmaxCrossEntropyForward(_ logits: Tensor, label: Int) -> Double {
    -Foundation.log(max(Double(softmax(logits).data[label]), 1e-30))
}

/// Its gradient with respect to the logits is simply p - onehot(label), times `dLoss`.
public func softmaxCrossEntropyBackward(_ logits: Tensor, label: Int, dLoss: Float = 1) -> Tensor {
    var gradient = softmax(logits)
    gradient.data[label] -= 1
    for i in 0..<gradient.count { gradient.data[i] *= dLoss }
    return gradient
}
