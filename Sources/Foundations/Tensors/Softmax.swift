// Softmax and the cross-entropy: how the small networks of chapters 2 to 5 turn their output
// scores into probabilities, and how wrong a probability for the true class is.
import Foundation

/// Softmax turns scores into probabilities: p_i = e^(z_i) / sum_j e^(z_j) (computed after
/// subtracting the largest score, which changes nothing but avoids overflow). logits (N) -> (N).
public func softmax(_ logits: Tensor) -> Tensor {
    let largest = logits.data.max() ?? 0
    let exps = logits.data.map { Float(Foundation.exp(Double($0 - largest))) }
    let sum = exps.reduce(0, +)
    return Tensor(shape: logits.shape, data: exps.map { $0 / sum })
}

/// The cross-entropy of the softmax of `logits` (N) against the true class: -log p_label.
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
