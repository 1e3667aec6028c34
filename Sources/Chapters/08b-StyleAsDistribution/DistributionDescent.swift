import Tensors
import Optimisers

// A descent whose loss changes every few iterations. The sliced Wasserstein term measures the
// distributions along directions that are redrawn every `redrawEvery` iterations. L-BFGS learns
// the loss's curvature from its last steps and tests each step against the loss it expects
// (chapter 6b); across a redraw those steps belong to another function, so the optimiser starts
// afresh at each draw, as Heitz et al.'s code does. Adam or gradient descent would not need it,
// but a fresh start costs them little.

/// Runs `iterations` steps from `image`, in draws of `redrawEvery` steps: before draw n,
/// `redraw(n)` (draw 0 is the term's own first), then a fresh optimiser from `makeOptimiser`.
/// `progress` sees every step, numbered over the whole descent.
public func descendRedrawing<O: Optimiser>(_ image: Tensor, iterations: Int, redrawEvery: Int,
                                           makeOptimiser: () -> O, redraw: (Int) -> Void,
                                           evaluate: (Tensor) -> (parts: LossParts, gradient: Tensor),
                                           progress: (DescentProgress) -> Void = { _ in },
                                           shouldStop: () -> Bool = { false }) -> DescentResult {
    precondition(redrawEvery > 0 && iterations > 0, "at least one step, and one per draw")
    var image = image, steps = 0, evaluations = 0, draw = 0
    var last: DescentResult
    repeat {
        if draw > 0 { redraw(draw) }
        var optimiser = makeOptimiser()
        let done = steps
        last = descend(image, iterations: min(redrawEvery, iterations - done), optimiser: &optimiser, evaluate: evaluate,
                       progress: { step in
                           var whole = step
                           whole.iteration += done
                           whole.iterations = iterations
                           progress(whole)
                       }, shouldStop: shouldStop)
        steps += last.steps
        evaluations += last.evaluations
        image = last.image
        draw += 1
    } while steps < iterations && !last.diverged && !last.stopped
    last.steps = steps
    last.evaluations = evaluations
    return last
}
