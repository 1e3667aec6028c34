import Tensors
import Parallel
import Kernels
import StyleDistribution

// The fast twin of chapter 8b's histogram term (HistogramTerm.swift) and of Risser et al.'s
// style loss, the histogram term with the Gram term (`HistogramAndGramTerm`): each channel of
// the channels-last maps is gathered into a row, radix-sorted on its own thread, and remapped to
// the style's quantiles; the gradient 2 weight / (C M) (F - R) is written in the channel's row,
// and the rows turned back into channels-last maps at the end. Each channel's loss is summed in position order and the channels' in
// channel order, so the result is the same on any number of threads.

/// Chapter 8b's histogram term on the fast path: each style layer's channel distributions read
/// at the picture's number of positions there (C x M), made once per scale.
public struct FastHistogramTerm: FastStyleTerm {
    public var quantiles: [String: [Float]]

    public init(quantiles: [String: [Float]]) { self.quantiles = quantiles }

    /// The targets at one layer: each channel of the style images' maps (channels-last, blended
    /// by `blend`) sorted, merged, and read at `positions` quantiles (C x positions).
    public static func quantiles(styles: [ChannelsLastMaps], blend: [Float], positions: Int) -> [Float] {
        let c = styles[0].channels
        let sortedChannels = styles.map { sortedRows(transposed($0.data, rows: $0.height * $0.width, columns: c), rows: c, columns: $0.height * $0.width) }
        return blendedQuantiles(sortedChannels, blend: blend, rows: c, positions: positions)
    }

    /// L at `layer` and its gradient as maps, the remapped values held fixed.
    public func evaluate(features: ChannelsLastMaps, layer: String, weight: Float, times: StageTimes?) -> (loss: Double, gradient: StyleTermGradient) {
        guard let target = quantiles[layer] else { preconditionFailure("no style at \(layer)") }
        let (m, c) = (features.height * features.width, features.channels)
        precondition(target.count == c * m, "the targets were made for maps of this size")
        let scale = Double(weight) / Double(c * m)
        var losses = [Double](repeating: 0, count: c)
        // The gradient channel by channel (C x M), each channel's row written where its sort
        // left it, then turned back into channels-last maps.
        var channelGradients = uninitializedFloats(c * m)
        times.measure(.losses) {
            let channelRows = transposed(features.data, rows: m, columns: c)
            target.withUnsafeBufferPointer { q in
                losses.withUnsafeMutableBufferPointer { losses in
                    channelGradients.withUnsafeMutableBufferPointer { g in
                        let (q, losses, g) = (q, losses, g)
                        // A ReLU's maps: mostly zeros, set aside by the sort.
                        forEachSortedRow(channelRows, rows: c, columns: m, settingZerosAside: true) { channel, row, order in
                            let targetRow = q.baseAddress! + channel * m, gradientRow = g.baseAddress! + channel * m
                            var sum = 0.0
                            for rank in 0..<m {
                                let position = Int(order[rank])
                                let difference = row[position] - targetRow[rank]
                                sum += Double(difference) * Double(difference)
                                gradientRow[position] = difference * Float(2 * scale)
                            }
                            losses[channel] = sum
                        }
                    }
                }
            }
        }
        let gradient = times.measure(.layout) {
            ChannelsLastMaps(height: features.height, width: features.width, channels: c, data: transposed(channelGradients, rows: c, columns: m))
        }
        return (scale * losses.reduce(0, +), .maps(gradient))
    }
}

/// Risser et al.'s style loss on the fast path: the Gram term plus the histogram term weighted
/// `histogramFactor` times the layer's style weight; the gradient as maps, F S added to the
/// histogram's.
public struct FastHistogramAndGramTerm: FastStyleTerm {
    public var gram: FastGramMatrixTerm
    public var histogram: FastHistogramTerm
    public var histogramFactor: Float

    public init(gram: FastGramMatrixTerm, histogram: FastHistogramTerm, histogramFactor: Float) {
        self.gram = gram
        self.histogram = histogram
        self.histogramFactor = histogramFactor
    }

    public func evaluate(features: ChannelsLastMaps, layer: String, weight: Float, times: StageTimes?) -> (loss: Double, gradient: StyleTermGradient) {
        let (gramLoss, gramGradient) = gram.evaluate(features: features, layer: layer, weight: weight, times: times)
        let (histogramLoss, histogramGradient) = histogram.evaluate(features: features, layer: layer, weight: weight * histogramFactor, times: times)
        guard case .gramFactor(let factor) = gramGradient, case .maps(var maps) = histogramGradient else {
            preconditionFailure("the Gram term gives S, the histogram term maps")
        }
        let fs = times.measure(.gramMatrices) { factor.applied(to: features) }
        for i in 0..<maps.count { maps.data[i] += fs.data[i] }
        return (gramLoss + histogramLoss, .maps(maps))
    }
}
