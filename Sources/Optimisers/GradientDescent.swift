// The optimisers that descend a loss by changing the pixels (chapter 9, "Styling an Image").
// Each takes one step from the current point, given the loss's gradient there; the caller
// evaluates the loss and gradient once per step. All three work on flat arrays of Float.

/// What every optimiser does: move `x` one step, given the gradient of the loss at `x`.
public protocol Optimiser {
    mutating func step(_ x: inout [Float], gradient: [Float])
}

/// Plain gradient descent: x = x - learningRate * gradient. No normalisation, no momentum.
public struct GradientDescent: Optimiser {
    public var learningRate: Float

    public init(learningRate: Float) { self.learningRate = learningRate }

    public mutating func step(_ x: inout [Float], gradient: [Float]) {
        for i in x.indices { x[i] -= learningRate * gradient[i] }
    }
}
