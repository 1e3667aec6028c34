import Foundation

/// Adam (Kingma and Ba, 2015): gradient descent whose step for each pixel is scaled by running
/// averages of that pixel's gradient (the first moment, m) and of its square (the second, v),
/// both corrected for starting at zero. neural-style's defaults: learning rate 10 on the
/// 0...255 scale, beta1 0.9, beta2 0.999, epsilon 1e-8. Inside a box, each step is projected
/// into it, as for gradient descent; the moments keep the gradients as they are.
public struct Adam: Optimiser {
    /// The step's size, on the preprocessed image's 0...255 scale (neural-style's 10).
    public var learningRate: Float
    /// How slowly the two running averages forget (beta1 for the gradient, beta2 for its square),
    /// and the epsilon that keeps the division finite.
    public var beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    /// The box the values stay in; nil: free.
    public var box: Box?
    /// The running averages of the gradient (m) and of its square (v), and the steps taken (t):
    /// all Adam remembers, which a paused training saves and resumes from.
    public var m: [Float] = [], v: [Float] = []
    public var t = 0

    /// Adam with this learning rate and the usual betas, inside `box` if one is given.
    public init(learningRate: Float = 10, box: Box? = nil) {
        self.learningRate = learningRate
        self.box = box
    }

    /// One step of Adam at `x` with its `gradient`, projected into the box; always taken (`loss` is not needed).
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
        box?.project(&x)
        return true
    }
}


