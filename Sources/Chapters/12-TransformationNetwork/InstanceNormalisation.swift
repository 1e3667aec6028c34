import Foundation
import Tensors

// Instance normalisation (Ulyanov, Vedaldi and Lempitsky, "Instance Normalization: The Missing
// Ingredient for Fast Stylization", 2016): each feature map of each picture is shifted and
// scaled to mean 0 and variance 1 over its own positions, then given a learned scale and shift:
//
//     y = scale_c * (x - mean_c) / sqrt(var_c + epsilon) + shift_c
//
// A picture's contrast is a property of the picture, not of its style: normalising every map by
// the picture's own statistics lets the network paint a dark photo and a bright one alike, which
// batch normalisation (statistics over a batch) does not. Ulyanov et al. found it the one change
// that made fast stylisation's results as good as the optimisation's.

/// One learned scale and shift per feature map.
public struct InstanceNormalisation: Sendable {
    /// gamma and beta, one per map (C).
    public var scale: Tensor, shift: Tensor
    /// Keeps the division finite for a flat map.
    public var epsilon: Float = 1e-5

    /// Scale 1 and shift 0 for `channels` maps: the plain normalisation.
    public init(channels: Int) {
        scale = Tensor(shape: [channels], data: [Float](repeating: 1, count: channels))
        shift = Tensor(shape: [channels])
    }

    /// Each map's mean and 1 / sqrt(variance + epsilon), in Double.
    func statistics(_ input: Tensor) -> [(mean: Double, inverseDeviation: Double)] {
        let (channels, n) = (input.shape[0], input.shape[1] * input.shape[2])
        return (0..<channels).map { c in
            var sum = 0.0, squares = 0.0
            for i in (c * n)..<((c + 1) * n) { sum += Double(input.data[i]) }
            let mean = sum / Double(n)
            for i in (c * n)..<((c + 1) * n) { let d = Double(input.data[i]) - mean; squares += d * d }
            return (mean, 1 / (squares / Double(n) + Double(epsilon)).squareRoot())
        }
    }

    /// input (C, H, W) -> the same shape, each map normalised, scaled and shifted.
    public func forward(_ input: Tensor) -> Tensor {
        let n = input.shape[1] * input.shape[2]
        var output = input
        for (c, (mean, inverse)) in statistics(input).enumerated() {
            for i in (c * n)..<((c + 1) * n) {
                output.data[i] = Float(Double(scale.data[c]) * (Double(input.data[i]) - mean) * inverse) + shift.data[c]
            }
        }
        return output
    }

    /// dL/dInput, dL/dScale and dL/dShift. With xhat the normalised map and g = dL/dy times the
    /// scale, every xhat depends on every x of its map through the mean and the variance:
    ///     dL/dx_i = (1 / sqrt(var + eps)) * (g_i - mean(g) - xhat_i * mean(g * xhat)),
    /// dL/dScale = sum of dL/dy * xhat, dL/dShift = sum of dL/dy.
    public func backward(dOutput: Tensor, input: Tensor) -> (dInput: Tensor, dScale: Tensor, dShift: Tensor) {
        let (channels, n) = (input.shape[0], input.shape[1] * input.shape[2])
        var dInput = Tensor(shape: input.shape), dScale = Tensor(shape: [channels]), dShift = Tensor(shape: [channels])
        for (c, (mean, inverse)) in statistics(input).enumerated() {
            var sumG = 0.0, sumGXhat = 0.0, sumDy = 0.0, sumDyXhat = 0.0
            for i in (c * n)..<((c + 1) * n) {
                let xhat = (Double(input.data[i]) - mean) * inverse, dy = Double(dOutput.data[i])
                sumDy += dy
                sumDyXhat += dy * xhat
                sumG += dy * Double(scale.data[c])
                sumGXhat += dy * Double(scale.data[c]) * xhat
            }
            let (meanG, meanGXhat) = (sumG / Double(n), sumGXhat / Double(n))
            for i in (c * n)..<((c + 1) * n) {
                let xhat = (Double(input.data[i]) - mean) * inverse, g = Double(dOutput.data[i]) * Double(scale.data[c])
                dInput.data[i] = Float(inverse * (g - meanG - xhat * meanGXhat))
            }
            dScale.data[c] = Float(sumDyXhat)
            dShift.data[c] = Float(sumDy)
        }
        return (dInput, dScale, dShift)
    }
}
