import Tensors

// The temporal loss of Ruder, Dosovitskiy and Brox (their section "Temporal consistency loss"):
// the new stylised frame x is pulled towards omega, the previous stylised frame warped to the new
// one by the backward flow, wherever the consistency check trusts the flow:
//
//     L_temporal(x, omega, c) = (1 / D) * sum over k of c_k (x_k - omega_k)^2,
//
// D = W x H x C the number of values, c_k the pixel's reliability (each channel of a pixel
// shares its weight). Its gradient is (2 / D) c_k (x_k - omega_k). The total loss is
// content + style + total variation + temporal weight x L_temporal.
//
// Long-term consistency (the paper's section of that name): short-term, a region hidden for a
// frame or two comes back with a new texture. So the new frame is also compared with the
// stylised frames j = 1, 2 and 4 back, each pixel with the nearest of them where it was visible:
//
//     c_long^(i-j) = max(c^(i-j) - sum over k in J, k < j of c^(i-k), 0).

/// A stylised earlier frame carried over to the new one, and where it may be trusted.
public struct TemporalTarget: Sendable {
    /// omega: the earlier stylised frame warped to the new one (3, H, W, preprocessed as the image).
    public var warped: Tensor
    /// c: one weight per pixel, 0 or 1.
    public var weights: [Float]

    /// A target from the warped frame and one weight per pixel.
    public init(warped: Tensor, weights: [Float]) {
        precondition(weights.count == warped.shape[1] * warped.shape[2], "one weight per pixel")
        self.warped = warped
        self.weights = weights
    }
}

/// L_temporal(x, omega, c) = (1 / D) sum of c_k (x_k - omega_k)^2.
public func temporalLossForward(_ image: Tensor, target: TemporalTarget) -> Double {
    let plane = image.shape[1] * image.shape[2]
    var sum = 0.0
    for i in 0..<image.count {
        let d = Double(image.data[i] - target.warped.data[i])
        sum += Double(target.weights[i % plane]) * d * d
    }
    return sum / Double(image.count)
}

/// dL_temporal/dx = (2 / D) c_k (x_k - omega_k), times `dLoss`.
public func temporalLossBackward(_ image: Tensor, target: TemporalTarget, dLoss: Float = 1) -> Tensor {
    let plane = image.shape[1] * image.shape[2]
    let scale = 2 * dLoss / Float(image.count)
    var gradient = Tensor(shape: image.shape)
    for i in 0..<image.count { gradient.data[i] = scale * target.weights[i % plane] * (image.data[i] - target.warped.data[i]) }
    return gradient
}

/// The long-term weights: `masks[n]` is the reliability of the n-th earlier frame compared, the
/// nearest first; each pixel keeps its weight only in the nearest frame where it was reliable.
public func longTermWeights(_ masks: [[Float]]) -> [[Float]] {
    var result: [[Float]] = []
    var nearer = [Float](repeating: 0, count: masks.first?.count ?? 0)
    for mask in masks {
        result.append(zip(mask, nearer).map { max($0 - $1, 0) })
        for i in nearer.indices { nearer[i] += mask[i] }
    }
    return result
}

/// The temporal term of a frame's loss: its weight, and one target per earlier frame compared
/// (one for short-term consistency, up to three for long-term).
public struct TemporalConsistency: Sendable {
    /// The temporal weight, multiplying every target's loss.
    public var weight: Float
    /// The earlier frames compared, the nearest first.
    public var targets: [TemporalTarget]

    /// The term of `targets`, weighted by `weight`.
    public init(weight: Float, targets: [TemporalTarget]) {
        self.weight = weight
        self.targets = targets
    }

    /// The term, weight x the sum of L_temporal over the targets, and its gradient.
    public func evaluate(_ image: Tensor) -> (loss: Double, gradient: Tensor) {
        var loss = 0.0
        var gradient = Tensor(shape: image.shape)
        for target in targets {
            loss += Double(weight) * temporalLossForward(image, target: target)
            let g = temporalLossBackward(image, target: target, dLoss: weight)
            for i in 0..<g.count { gradient.data[i] += g.data[i] }
        }
        return (loss, gradient)
    }
}
