// The optimisers that descend a loss by changing the pixels (chapter 9, "Styling an Image").
// Each takes one step from the current point, given the loss's gradient there; the caller
// evaluates the loss and gradient once per step. All three work on flat arrays of Float.

/// What every optimiser does: move `x` one step, given the loss and its gradient at `x`.
///
/// An optimiser may also refuse a point: L-BFGS does when the loss at `x` rose too much above
/// the last accepted point's (a step that overshot). It then moves `x` to a shorter step from
/// the accepted point instead and returns false; the caller evaluates there and calls again.
public protocol Optimiser {
    /// The box the values must stay in (BoxConstraint.swift), or nil: free to go anywhere.
    var box: Box? { get }
    /// Moves `x` on; returns whether `x` as given was accepted (false: `x` is now a shorter try
    /// from the last accepted point). A `loss` of nil means "not known": every point is accepted.
    mutating func step(_ x: inout [Float], loss: Double?, gradient: [Float]) -> Bool
}

extension Optimiser {
    /// One step without the loss: every point is accepted.
    public mutating func step(_ x: inout [Float], gradient: [Float]) {
        _ = step(&x, loss: nil, gradient: gradient)
    }
}

/// Plain gradient descent: x = x - learningRate * gradient. No normalisation, no momentum.
/// Inside a box it is *projected* gradient descent: x = P(x - learningRate * gradient), each value
/// that the step carried past a bound put back on it.
public struct GradientDescent: Optimiser {
    /// How far along the negative gradient each step goes.
    public var learningRate: Float
    /// The box the values stay in; nil: free.
    public var box: Box?

    /// Gradient descent with this learning rate, inside `box` if one is given.
    public init(learningRate: Float, box: Box? = nil) {
        self.learningRate = learningRate
        self.box = box
    }

    /// x = x - learningRate * gradient, then projected into the box; always taken.
    public mutating func step(_ x: inout [Float], loss: Double?, gradient: [Float]) -> Bool {
        for i in x.indices { x[i] -= learningRate * gradient[i] }
        box?.project(&x)
        return true
    }
}
