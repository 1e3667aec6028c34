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
// the h^2 term, so h can be large, which makes the rounding small. For the operations that are
// linear or quadratic between their kinks (convolution, pooling, ReLU, the Gram matrix, the
// losses) the central difference is exact up to rounding for any h that crosses no kink, so
// their tests step by 0.25 to 1 and keep inputs further than that from any kink; smooth
// functions (sigmoid, softmax) step by about 0.1. The tolerance is 1e-4 of each element, plus a
// floor for elements near zero: 1e-6 of the largest gradient, and what the Float rounding of
// the forward pass can do to a difference over this step (4 ulp of sum |R_i f_i| over the
// outputs the step changed, divided by the step).
// Every test also asks `catches(relativeError: 1e-3)`: that the same comparison fails a
// backward pass off by 0.1%, so a step that leaves too much rounding shows up as a failure.

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
    /// Each checked element's rounding floor, added to `absoluteTolerance` for that element.
    public var roundingFloors: [Double]

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
            let allowed = absoluteTolerance + roundingFloors[i] + relativeTolerance * max(abs(numerical[i]), abs(candidate[i]))
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
///   + that element's rounding floor (above) for every element. `absoluteTolerance` defaults to
///   1e-6 of the largest numerical gradient, so elements that are zero (or nearly) are judged on
///   the gradient's own scale and the forward pass's precision.
public func checkGradient(input: [Float], epsilon: Float = 0.1, relativeTolerance: Double = 1e-4,
                          absoluteTolerance: Double? = nil, seed: UInt64 = 12345, elements: [Int]? = nil,
                          forward: ([Float]) -> [Float], backward: ([Float]) -> [Float]) -> GradientCheckResult {
    let output = forward(input)
    let outputCount = output.count
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
    /// L(x), and sum |R_i f_i| over the outputs that differ from f(input): only those can carry
    /// a rounding difference (outputs that do not depend on the perturbed input come out
    /// bit for bit the same).
    func loss(_ x: [Float]) -> (value: Double, changed: Double) {
        let y = forward(x)
        var sum: Double = 0, changed: Double = 0
        for i in 0..<y.count {
            let term = Double(projection[i]) * Double(y[i])
            sum += term
            if y[i] != output[i] { changed += abs(term) }
        }
        return (sum, changed)
    }
    let analyticAll = backward(projection)
    precondition(analyticAll.count == input.count, "backward returned \(analyticAll.count) values for \(input.count) inputs")
    let checked = elements ?? Array(0..<input.count)
    var x = input
    /// D(h) at element i, divided by the step actually taken (rounding may change it slightly),
    /// and the rounding floor of that difference: 4 ulp of the changed outputs' size, over h.
    func centralDifference(_ i: Int, _ h: Float) -> (value: Double, floor: Double) {
        let original = x[i]
        x[i] = original + h
        let plus = loss(x)
        x[i] = original - h
        let minus = loss(x)
        x[i] = original
        let step = Double(original + h) - Double(original - h)
        return ((plus.value - minus.value) / step, 4 * Double(Float.ulpOfOne) * max(plus.changed, minus.changed) / step)
    }
    var numerical: [Double] = [], floors: [Double] = []
    for i in checked {
        let (full, half) = (centralDifference(i, epsilon), centralDifference(i, epsilon / 2))
        numerical.append((4 * half.value - full.value) / 3)
        floors.append(2 * half.floor + full.floor)   // the extrapolation weighs the half step by 4/3
    }
    let analytic = checked.map { Double(analyticAll[$0]) }
    let scale = numerical.map(abs).max() ?? 0
    var result = GradientCheckResult(passed: true, worstIndex: 0, expected: 0, observed: 0, worstError: -1,
                                     numerical: numerical, analytic: analytic, relativeTolerance: relativeTolerance,
                                     absoluteTolerance: absoluteTolerance ?? 1e-6 * scale, roundingFloors: floors)
    var worstRatio = -1.0
    for (n, i) in checked.enumerated() {
        let error = abs(numerical[n] - analytic[n])
        let allowed = result.absoluteTolerance + floors[n] + relativeTolerance * max(abs(numerical[n]), abs(analytic[n]))
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

/// The inputs (of `candidates`, or all) whose steps of +-epsilon and +-epsilon/2 leave `pattern`
/// unchanged. A function built from ReLUs and max pooling is smooth only between its kinks;
/// `pattern` says on which side of each kink it is (the sign of every ReLU's input, say), and
/// checking only these elements keeps central differences from straddling a kink.
public func elementsAwayFromKinks(input: [Float], epsilon: Float, candidates: [Int]? = nil,
                                  pattern: ([Float]) -> [Bool]) -> [Int] {
    let base = pattern(input)
    var x = input
    return (candidates ?? Array(input.indices)).filter { i in
        let original = x[i]
        defer { x[i] = original }
        for step in [epsilon, -epsilon, epsilon / 2, -epsilon / 2] {
            x[i] = original + step
            if pattern(x) != base { return false }
        }
        return true
    }
}
