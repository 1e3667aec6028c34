import Tensors
import Parallel
import Kernels
import TransformationNetwork

// The fast twin of chapter 12's instance normalisation (InstanceNormalisation.swift), on
// channels-last maps. Each map's sums run over its positions in order, in Double, one thread per
// band of channels; the normalisation itself runs over bands of positions. No sum depends on
// how the work is shared out.

extension InstanceNormalisation {
    /// Each channel's sum of `value(position, channel)` over the positions, in order, in Double.
    static func channelSums(_ maps: ChannelsLastMaps, _ value: (Int, Int) -> Double) -> [Double] {
        let (c, n) = (maps.channels, maps.height * maps.width)
        var sums = [Double](repeating: 0, count: c)
        sums.withUnsafeMutableBufferPointer { sums in
            let pieces = parallelPieces(c, perThread: 1)
            parallelFor(pieces) { piece in
                for channel in (c * piece / pieces)..<(c * (piece + 1) / pieces) {
                    var sum = 0.0
                    for p in 0..<n { sum += value(p, channel) }
                    sums[channel] = sum
                }
            }
        }
        return sums
    }

    /// Each channel's mean and 1 / sqrt(variance + epsilon).
    func fastStatistics(_ input: ChannelsLastMaps) -> (mean: [Double], inverse: [Double]) {
        let (c, n) = (input.channels, Double(input.height * input.width))
        let mean = input.data.withUnsafeBufferPointer { x in Self.channelSums(input) { p, k in Double(x[p * c + k]) }.map { $0 / n } }
        let squares = input.data.withUnsafeBufferPointer { x in
            Self.channelSums(input) { p, k in let d = Double(x[p * c + k]) - mean[k]; return d * d }
        }
        return (mean, squares.map { 1 / ($0 / n + Double(epsilon)).squareRoot() })
    }

    /// The fast forward pass: the same values as `forward`, channels-last.
    public func forward(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
        let (mean, inverse) = fastStatistics(input)
        let (c, n) = (input.channels, input.height * input.width)
        var output = input
        output.data.withUnsafeMutableBufferPointer { out in
            let pieces = parallelPieces(n, perThread: 4)
            parallelFor(pieces) { piece in
                for p in (n * piece / pieces)..<(n * (piece + 1) / pieces) {
                    for k in 0..<c {
                        out[p * c + k] = Float(Double(scale.data[k]) * (Double(out[p * c + k]) - mean[k]) * inverse[k]) + shift.data[k]
                    }
                }
            }
        }
        return output
    }

    /// The fast backward pass: dL/dInput, dL/dScale, dL/dShift, as `backward`.
    public func backward(dOutput: ChannelsLastMaps, input: ChannelsLastMaps) -> (dInput: ChannelsLastMaps, dScale: Tensor, dShift: Tensor) {
        let (mean, inverse) = fastStatistics(input)
        let (c, n) = (input.channels, input.height * input.width)
        let (sumDy, sumDyXhat) = input.data.withUnsafeBufferPointer { x in
            dOutput.data.withUnsafeBufferPointer { dy in
                (Self.channelSums(input) { p, k in Double(dy[p * c + k]) },
                 Self.channelSums(input) { p, k in Double(dy[p * c + k]) * (Double(x[p * c + k]) - mean[k]) * inverse[k] })
            }
        }
        // mean(g) and mean(g xhat), g = dL/dy times the scale.
        let meanG = (0..<c).map { sumDy[$0] * Double(scale.data[$0]) / Double(n) }
        let meanGXhat = (0..<c).map { sumDyXhat[$0] * Double(scale.data[$0]) / Double(n) }
        var dInput = ChannelsLastMaps(uninitializedHeight: input.height, width: input.width, channels: c)
        input.data.withUnsafeBufferPointer { x in
            dOutput.data.withUnsafeBufferPointer { dy in
                dInput.data.withUnsafeMutableBufferPointer { dx in
                    let pieces = parallelPieces(n, perThread: 4)
                    parallelFor(pieces) { piece in
                        for p in (n * piece / pieces)..<(n * (piece + 1) / pieces) {
                            for k in 0..<c {
                                let xhat = (Double(x[p * c + k]) - mean[k]) * inverse[k], g = Double(dy[p * c + k]) * Double(scale.data[k])
                                dx[p * c + k] = Float(inverse[k] * (g - meanG[k] - xhat * meanGXhat[k]))
                            }
                        }
                    }
                }
            }
        }
        return (dInput, Tensor(shape: [c], data: sumDyXhat.map(Float.init)), Tensor(shape: [c], data: sumDy.map(Float.init)))
    }
}
