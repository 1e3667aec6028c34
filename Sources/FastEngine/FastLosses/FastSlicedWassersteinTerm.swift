import Tensors
import Parallel
import Kernels
import VGG
import FastNetwork
import StyleDistribution

// The fast twin of chapter 8b's sliced Wasserstein term (Sources/Chapters/08b-StyleAsDistribution,
// SlicedWassersteinTerm.swift), on the fast network's channels-last maps: the projections of all
// positions on all directions as one matrix product, each direction's projections sorted by the
// radix sort (Kernels/RadixSort.swift), the directions shared out over the threads, and the
// gradient back to the maps as another matrix product. Each direction's loss is summed in order
// of rank and the directions' losses in order of direction, so the result is the same on any
// number of threads. The term is no sum over positions (a position's gradient depends on its
// rank among all of them), so it cannot be evaluated in tiles.

/// The style's side of the term at one layer for one draw: the directions, and the style's
/// projections on each read at the picture's number of positions.
public struct SlicedWassersteinLayer: Sendable {
    /// The directions, as many as the layer has channels: C rows of C (row-major).
    public var directions: [Float]
    /// The same, transposed: the projection's right-hand matrix.
    public var transposedDirections: [Float]
    /// For each direction, the style's quantiles at the picture's M positions (C x M).
    public var quantiles: [Float]
    public var channels: Int
    public var positions: Int
}

/// A style term whose directions are drawn anew every few iterations (chapter 8b): the run
/// redraws it before each draw's iterations and starts its optimiser afresh
/// (`Stylization.descendScale`).
public protocol RedrawnStyleTerm: FastStyleTerm {
    /// The iterations between two draws.
    var redrawEvery: Int { get }
    /// The term with draw number `draw`'s directions.
    mutating func redraw(_ draw: Int)
}

/// Chapter 8b's sliced Wasserstein term on the fast path.
public struct FastSlicedWassersteinTerm: RedrawnStyleTerm {
    /// Each style layer's directions and targets for the current draw.
    public var layers: [String: SlicedWassersteinLayer]
    /// What a redraw needs: the style images' maps at each layer, their blend, the run's seed,
    /// the layers in order (each one's place seeds its directions), the picture's positions at each.
    var styleMaps: [String: [ChannelsLastMaps]] = [:]
    var blend: [Float] = []
    var seed: UInt64 = 0
    var layerOrder: [String] = []
    var positions: [String: Int] = [:]
    public var redrawEvery: Int = 1
    /// What the layer's style weight is multiplied by (`--style-loss sliced`'s weight relative to
    /// the Gram term's: DistributionStyles.swift).
    public var weightFactor: Float = 1
    /// The current draw.
    public private(set) var draw = -1

    /// A term of fixed targets (no redraws).
    public init(layers: [String: SlicedWassersteinLayer]) { self.layers = layers }

    /// A term to be redrawn every `redrawEvery` iterations: the style images' maps at each layer
    /// (channels-last) and the picture's positions there; its first draw is `draw`.
    public init(styleMaps: [String: [ChannelsLastMaps]], blend: [Float], seed: UInt64, layerOrder: [String],
                positions: [String: Int], redrawEvery: Int, draw: Int = 0) {
        self.layers = [:]
        self.styleMaps = styleMaps
        self.blend = blend
        self.seed = seed
        self.layerOrder = layerOrder
        self.positions = positions
        self.redrawEvery = redrawEvery
        redraw(draw)
    }

    public mutating func redraw(_ draw: Int) {
        guard draw != self.draw else { return }
        self.draw = draw
        for (index, layer) in layerOrder.enumerated() {
            layers[layer] = Self.layer(styles: styleMaps[layer]!, blend: blend, seed: seed, draw: draw, index: index, positions: positions[layer]!)
        }
    }

    /// The targets of one draw: directions from the run's seed, the draw and the layer's place in
    /// `layerOrder`, and the style images' projections on them (each image's maps at the layer,
    /// channels-last, blended by `blend`), read at `positions` quantiles.
    public static func layer(styles: [ChannelsLastMaps], blend: [Float], seed: UInt64, draw: Int, index: Int, positions: Int) -> SlicedWassersteinLayer {
        let c = styles[0].channels
        let v = randomDirections(count: c, dimension: c, seed: directionSeed(run: seed, draw: draw, layer: index))
        let vT = transposed(v.data, rows: c, columns: c)
        // Each style's projections, direction by direction (K x M_s), then each direction's sorted.
        let sortedProjections: [[Float]] = styles.map { maps in
            let projected = directionMajorProjections(maps, transposedDirections: vT, count: c)
            return sortedRows(projected, rows: c, columns: maps.height * maps.width)
        }
        return SlicedWassersteinLayer(directions: v.data, transposedDirections: vT,
                                      quantiles: blendedQuantiles(sortedProjections, blend: blend, rows: c, positions: positions),
                                      channels: c, positions: positions)
    }

    /// L at `layer` and its gradient as maps.
    public func evaluate(features: ChannelsLastMaps, layer: String, weight: Float, times: StageTimes?) -> (loss: Double, gradient: StyleTermGradient) {
        guard let target = layers[layer] else { preconditionFailure("no style at \(layer)") }
        let (m, c) = (features.height * features.width, features.channels), k = target.channels   // K directions
        precondition(c == target.channels && m == target.positions, "the targets were made for maps of this size")
        let projected = times.measure(.gramMatrices) { directionMajorProjections(features, transposedDirections: target.transposedDirections, count: k) }
        // Each direction sorted, paired with its quantiles: its loss, and dL/dprojection (K x M).
        let scale = Double(weight * weightFactor) / Double(k * m)
        var losses = [Double](repeating: 0, count: k)
        var dProjections = uninitializedFloats(k * m)
        times.measure(.losses) {
            target.quantiles.withUnsafeBufferPointer { q in
                losses.withUnsafeMutableBufferPointer { losses in
                    dProjections.withUnsafeMutableBufferPointer { dp in
                        let (q, losses, dp) = (q, losses, dp)
                        forEachSortedRow(projected, rows: k, columns: m) { d, row, order in
                            let targetRow = q.baseAddress! + d * m, dRow = dp.baseAddress! + d * m
                            var sum = 0.0
                            for rank in 0..<m {
                                let position = Int(order[rank])
                                let difference = Double(row[position]) - Double(targetRow[rank])
                                sum += difference * difference
                                dRow[position] = Float(2 * scale * difference)
                            }
                            losses[d] = sum
                        }
                    }
                }
            }
        }
        let loss = scale * losses.reduce(0, +)
        // dL/dF (M x C) = dL/dprojection^T (M x K) times the directions (K x C), dL/dprojection
        // read in place as its transpose (position p at direction d is element d * M + p).
        let gradient = times.measure(.gramMatrices) { () -> ChannelsLastMaps in
            var out = ChannelsLastMaps(uninitializedHeight: features.height, width: features.width, channels: c)
            dProjections.withUnsafeBufferPointer { a in
                target.directions.withUnsafeBufferPointer { b in
                    out.data.withUnsafeMutableBufferPointer { g in
                        matrixMultiply(rows: m, columns: c, depth: k, a: StridedMatrix(base: a.baseAddress!, rowStride: 1, depthStride: m),
                                       b: b.baseAddress!, ldb: c, c: g.baseAddress!, ldc: c, overwrite: true)
                    }
                }
            }
            return out
        }
        return (loss, .maps(gradient))
    }
}

/// The projections of every position of `maps` on `count` directions, direction by direction
/// (count x positions): the product of the maps (positions x C) and the transposed directions
/// (C x count), then transposed so that each direction's projections lie together for its sort.
func directionMajorProjections(_ maps: ChannelsLastMaps, transposedDirections: [Float], count: Int) -> [Float] {
    let (m, c) = (maps.height * maps.width, maps.channels)
    var positionMajor = uninitializedFloats(m * count)
    maps.data.withUnsafeBufferPointer { a in
        transposedDirections.withUnsafeBufferPointer { b in
            positionMajor.withUnsafeMutableBufferPointer { p in
                matrixMultiply(rows: m, columns: count, depth: c, a: StridedMatrix(base: a.baseAddress!, rowStride: c),
                               b: b.baseAddress!, ldb: count, c: p.baseAddress!, ldc: count, overwrite: true)
            }
        }
    }
    return transposed(positionMajor, rows: m, columns: count)
}
