import Foundation

/// Adam (Kingma and Ba, 2015): gradient descent whose step for each pixel is scaled by running
/// averages of that pixel's gradient (the first moment, m) and of its square (the second, v),
/// both corrected for starting at zero. neural-style's defaults: learning rate 10 on the
/// 0...255 scale, beta1 0.9, beta2 0.999, epsilon 1e-8.
public struct Adam: Optimiser {
    public var learningRate: Float
    public var beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    var m: [Float] = [], v: [Float] = []
    var t = 0

    public init(learningRate: Float = 10) { self.learningRate = learningRate }

    public mutating func step(_ x: inout [Float], loss: Double?, gradient: [Float]) -> Bool {
        if m.isEmpty {
            m = [Float](repeating: 0, count: x.count)
            v = m
        }
        t += 1
        let correction1 = 1 - pow(beta1, Float(t)), correction2 = 1 - pow(beta2, Float(t))
        for i in x.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * gradient[i]
            v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i]
            let mHat = m[i] / correction1, vHat = v[i] / correction2
            x[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
        }
        return true
    }
}


