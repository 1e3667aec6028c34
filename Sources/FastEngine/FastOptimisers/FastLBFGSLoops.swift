import Kernels
import Optimisers

// The fast twin of chapter 6b's `LBFGSLoops` (Sources/Chapters/06b-Optimisers/LBFGS.swift):
// the same vector operations over a whole image's values, a few million read dozens of times per
// step, done by `VectorKernels`: eight lanes at a time, shared between the cores in blocks
// whose partial sums are added in order (so the result does not depend on the number of
// cores), and fused where one pass can do two operations' work.

/// L-BFGS's vector operations on the fast kernels. FastLBFGSLoopsTests compare each with the
/// plain loop, and a whole run of steps with the plain optimiser's.
public struct FastLBFGSLoops: LBFGSArithmetic {
    public init() {}

    public func dot(_ a: [Float], _ b: [Float]) -> Double { VectorKernels.dot(a, b) }

    public func addMultiple(_ c: Double, of x: [Float], to y: inout [Float]) { VectorKernels.addMultiple(c, of: x, to: &y) }

    public func pair(x: [Float], x0: [Float], g: [Float], g0: [Float]) -> (s: [Float], y: [Float], sy: Double, ss: Double, yy: Double) {
        VectorKernels.pair(x: x, x0: x0, g: g, g0: g0)
    }

    /// The chapter's two-loop recursion with each update done in one pass together with the dot
    /// product the next line needs (`VectorKernels.scaleAddingMultipleThenDot`), and gamma folded
    /// into the first update of the second loop: (gamma q) . y_0 = gamma (q . y_0).
    public func twoLoopRecursion(_ g: [Float], memory: LBFGSMemory) -> [Float] {
        var q = g
        let n = memory.count
        guard n > 0 else { return q }
        let (steps, changes, rhos) = (memory.steps, memory.gradientChanges, memory.rhos)
        var alphas = [Double](repeating: 0, count: n)
        var product = dot(steps[n - 1], q)             // s_k . q for the k about to be used
        for k in stride(from: n - 1, through: 0, by: -1) {
            alphas[k] = rhos[k] * product
            // q -= alpha_k y_k, then the dot the next line needs: s_(k-1) . q, or y_0 . q at the end.
            product = VectorKernels.scaleAddingMultipleThenDot(1, &q, plus: -alphas[k], of: changes[k],
                                                               dot: k > 0 ? steps[k - 1] : changes[0])
        }
        var scale = memory.newestGamma
        product *= memory.newestGamma                          // y_0 . (gamma q)
        for k in 0..<n {
            let beta = rhos[k] * product
            // q = scale q + (alpha_k - beta_k) s_k, then y_(k+1) . q for the next beta (none after the last).
            product = VectorKernels.scaleAddingMultipleThenDot(scale, &q, plus: alphas[k] - beta, of: steps[k],
                                                               dot: k + 1 < n ? changes[k + 1] : nil)
            scale = 1
        }
        return q
    }

    public func dot(_ g: [Float], minus x0: [Float], plus x: [Float]) -> Double { VectorKernels.dot(g, minus: x0, plus: x) }

    public func project(_ x: inout [Float], into box: Box) {
        VectorKernels.clamp(&x, lower: box.lower, upper: box.upper, runLength: box.runLength)
    }

    public func zeroHeld(_ v: inout [Float], at x: [Float], gradient g: [Float], in box: Box) {
        VectorKernels.zeroHeld(&v, at: x, gradient: g, lower: box.lower, upper: box.upper, runLength: box.runLength)
    }
}
