// The mean squared error, the measure both of Gatys et al.'s losses are built on: the content
// loss compares feature maps with it, the style loss Gram matrices. Its sum is accumulated in
// Double: a layer of a 512x512 image has millions of terms.

/// mean((x - target)^2) over all elements. x and target (any shape, the same) -> a number.
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
