// The one numerical gradient check every backward pass in the project is tested with
// (after tinygrad's gradcheck and micrograd's tests).
//
// The function under test maps an input vector to an output vector. To turn it into a single
// number, the output is projected on a fixed random vector R: L(x) = sum_i R_i f(x)_i, so every
// output element matters. The analytic gradient is the backward pass fed dL/df = R. The
// numerical one perturbs each input by +-epsilon and takes the central difference
// (L(x + e) - L(x - e)) / 2e, with L accumulated in Double.

public struct GradientCheckResult: CustomStringConvertible {
    public var passed: Bool
    public var worstIndex: Int
    public var expected: Double   // numerical
    public var observed: Double   // analytic
    public var worstError: Double

    public var description: String {
        passed ? "gradient check passed (worst element \(worstIndex): numerical \(expected), analytic \(observed))"
            : "gradient check FAILED at element \(worstIndex): numerical \(expected), analytic \(observed), error \(worstError)"
    }
}

/// Compares `backward(R)` with central differences of `forward` at `input`.
/// - forward: the input vector to the output vector.
/// - backward: given dL/dOutput, returns dL/dInput.
/// - elements: which inputs to perturb (all by default; a sample when each evaluation is costly).
/// - Passes when |numerical - analytic| <= absoluteTolerance + relativeTolerance * max(|numerical|, |analytic|)
///   for every element.
public func checkGradient(input: [Float], epsilon: Float = 1e-2, relativeTolerance: Double = 1e-2,
                          absoluteTolerance: Double = 1e-3, seed: UInt64 = 12345, elements: [Int]? = nil,
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
    let analytic = backward(projection)
    precondition(analytic.count == input.count, "backward returned \(analytic.count) values for \(input.count) inputs")
    var result = GradientCheckResult(passed: true, worstIndex: 0, expected: 0, observed: 0, worstError: -1)
    var worstRatio = -1.0
    var x = input
    for i in elements ?? Array(0..<input.count) {
        let original = x[i]
        x[i] = original + epsilon
        let plus = loss(x)
        x[i] = original - epsilon
        let minus = loss(x)
        x[i] = original
        // Divide by the step actually taken, which rounding may have changed slightly.
        let step = Double(original + epsilon) - Double(original - epsilon)
        let numerical = (plus - minus) / step
        let observed = Double(analytic[i])
        let error = abs(numerical - observed)
        let allowed = absoluteTolerance + relativeTolerance * max(abs(numerical), abs(observed))
        let ratio = error / allowed
        if ratio > worstRatio {
            worstRatio = ratio
            result.worstIndex = i
            result.expected = numerical
            result.observed = observed
            result.worstError = error
        }
        if error > allowed { result.passed = false }
    }
    return result
}
