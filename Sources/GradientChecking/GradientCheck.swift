// The one numerical gradient check every backward pass in the project is tested with
// (after tinygrad's gradcheck and micrograd's tests).
//
// The function under test maps an input vector to an output vector. To turn it into a single
// number, the output is projected on a fixed random vector R: L(x) = sum_i R_i f(x)_i, so every
// output element matters. The analytic gradient is the backward pass fed dL/df = R. The
// numerical one perturbs each input by +-h and takes the central difference
// D(h) = (L(x + h) - L(x - h)) / 2h, with L accumulated in Double.
//
// How sharp is it? The central difference is off by (h^2 / 6) L''' plus the rounding of the
// Float forward pass divided by 2h. Richardson's extrapolation, (4 D(h/2) - D(h)) / 3, removes
// the h^2 term, so h can stay large enough (1e-2) for the rounding to be small. For the linear
// and quadratic operations of this project (convolution, pooling, Gram matrix, the losses) the
// central difference is exact up to rounding. What is left is well under 1e-4 of the gradient,
// so the default tolerance, 1e-4 relative, fails any backward pass off by 0.1%; every test
// also asks `catches(relativeError: 1e-3)` to show that it would.

public struct GradientCheckResult: CustomStringConvertible {
    public var passed: Bool
    public var worstIndex: Int
    public var expected: Double   // numerical
    public var observed: Double   // analytic
    public var worstError: Double
    /// The numerical and analytic gradients of the checked elements, and the tolerance used.
    public var numerical: [Double]
    public var analytic: [Double]
    public var relativeTolerance: Double
    public var absoluteTolerance: Double

    public var description: String {
        passed ? "gradient check passed (worst element \(worstIndex): numerical \(expected), analytic \(observed))"
            : "gradient check FAILED at element \(worstIndex): numerical \(expected), analytic \(observed), error \(worstError)"
    }

    /// Whether the same numerical gradient, compared with the same tolerance, would have failed
    /// an analytic gradient off by `relativeError` (0.001 is 0.1%): both with every element
    /// scaled by 1 + relativeError, and with only the largest element scaled.
    public func catches(relativeError: Double) -> Bool {
        guard let largest = analytic.indices.max(by: { abs(analytic[$0]) < abs(analytic[$1]) }) else { return false }
        let allScaled = analytic.map { $0 * (1 + relativeError) }
        var oneScaled = analytic
        oneScaled[largest] *= 1 + relativeError
        return !agrees(allScaled) && !agrees(oneScaled)
    }

    func agrees(_ candidate: [Double]) -> Bool {
        for i in numerical.indices {
            let allowed = absoluteTolerance + relativeTolerance * max(abs(numerical[i]), abs(candidate[i]))
            if abs(numerical[i] - candidate[i]) > allowed { return false }
        }
        return true
    }
}

/// Compares `backward(R)` with Richardson-extrapolated central differences of `forward` at `input`.
/// - forward: the input vector to the output vector.
/// - backward: given dL/dOutput, returns dL/dInput.
/// - epsilon: the larger step h (the other is h/2).
/// - elements: which inputs to perturb (all by default; a sample when each evaluation is costly).
/// - Passes when |numerical - analytic| <= absoluteTolerance + relativeTolerance * max(|numerical|, |analytic|)
///   for every element. `absoluteTolerance` defaults to 1e-6 of the largest numerical gradient,
///   so elements that are zero (or nearly) are judged on the gradient's own scale.
public func checkGradient(input: [Float], epsilon: Float = 1e-2, relativeTolerance: Double = 1e-4,
                          absoluteTolerance: Double? = nil, seed: UInt64 = 12345, elements: [Int]? = nil,
                          forward: ([Float]) -> [Float], backward: ([Float]) -> [Float]) -> GradientCheckResult {
    let outputCount = forward(input).count
    var state = seed
    let projection: [Float] = (0..<outputCount).map { _ in
        // A tiny SplitMix64 step, inline so this helper stands alone.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(Double(z >> 11) / Double(1 << 53)) * 2 - 1
    }
    func loss(_ x: [Float]) -> Double {
        let y = forward(x)
        var sum: Double = 0
        for i in 0..<y.count { sum += Double(projection[i]) * Double(y[i]) }
        return sum
    }
    let analyticAll = backward(projection)
    precondition(analyticAll.count == input.count, "backward returned \(analyticAll.count) values for \(input.count) inputs")
    let checked = elements ?? Array(0..<input.count)
    var x = input
    /// D(h) at element i, divided by the step actually taken (rounding may change it slightly).
    func centralDifference(_ i: Int, _ h: Float) -> Double {
        let original = x[i]
        x[i] = original + h
        let plus = loss(x)
        x[i] = original - h
        let minus = loss(x)
        x[i] = original
        return (plus - minus) / (Double(original + h) - Double(original - h))
    }
    let numerical = checked.map { i in (4 * centralDifference(i, epsilon / 2) - centralDifference(i, epsilon)) / 3 }
    let analytic = checked.map { Double(analyticAll[$0]) }
    let scale = numerical.map(abs).max() ?? 0
    var result = GradientCheckResult(passed: true, worstIndex: 0, expected: 0, observed: 0, worstError: -1,
                                     numerical: numerical, analytic: analytic, relativeTolerance: relativeTolerance,
                                     absoluteTolerance: absoluteTolerance ?? max(1e-6 * scale, 1e-12))
    var worstRatio = -1.0
    for (n, i) in checked.enumerated() {
        let error = abs(numerical[n] - analytic[n])
        let allowed = result.absoluteTolerance + relativeTolerance * max(abs(numerical[n]), abs(analytic[n]))
        let ratio = error / allowed
        if ratio > worstRatio {
            worstRatio = ratio
            result.worstIndex = i
            result.expected = numerical[n]
            result.observed = analytic[n]
            result.worstError = error
        }
        if error > allowed { result.passed = false }
    }
    return result
}
