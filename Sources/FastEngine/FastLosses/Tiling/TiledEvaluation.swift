import Tensors
import Kernels
import VGG
import FastNetwork
import Optimisers

// The two passes of a tiled evaluation (TileGrid.swift explains the tiles and their halos):
//   1. forward each tile; add its core's part of each style layer's sum (F^T F for the Gram
//      term), and its core's part of the content term. Then G, the style loss and S are known.
//   2. forward each tile again; seed the backward pass with dL/dF at its core only (F S plus the
//      content term's gradient; zero in the halo, which other tiles answer for); the gradient
//      that comes out at the tile's pixels, halo included, is added into the picture's gradient.

extension FastStyleTransferLoss {
    /// The loss and its gradient computed tile by tile over `grid`: the same as `evaluate`, up
    /// to float rounding, holding one tile's feature maps at a time. A style term that is not a
    /// sum over positions (`TileableStyleTerm`) is evaluated only whole: a grid of one tile.
    /// `progress` hears the share of the evaluation done after each tile of each pass.
    public func evaluate(_ image: Tensor, tiles grid: TileGrid,
                         progress: (Double) -> Void = { _ in }) -> (parts: LossParts, gradient: Tensor) {
        precondition(grid.height == image.shape[1] && grid.width == image.shape[2], "the grid is the picture's")
        // One tile is the whole picture: the whole evaluation, whatever the style term.
        if grid.isWhole { return evaluate(image) }
        guard let tileable = style as? any TileableStyleTerm else {
            preconditionFailure("this style term needs the whole picture (the memory plan refuses to tile it)")
        }
        let steps = Double(2 * grid.tiles.count)
        let (firstParts, factors) = firstPass(image, grid: grid, style: tileable) { progress(Double($0) / steps) }
        var parts = firstParts
        var gradient = secondPass(image, grid: grid, factors: factors) { progress(Double(grid.tiles.count + $0) / steps) }
        addPixelTerms(image, to: &parts, gradient: &gradient)
        return (parts, gradient)
    }

    /// Pass 1: the content term core by core, the style term's sums, and from them the style
    /// term and each style layer's gradient at a position. `tileDone` hears the tiles done.
    func firstPass(_ image: Tensor, grid: TileGrid, style: any TileableStyleTerm,
                   tileDone: (Int) -> Void) -> (LossParts, [String: any PositionwiseGradient]) {
        let times = network.stageTimes
        var parts = LossParts()
        var sums: [String: [Double]] = [:], channels: [String: Int] = [:]
        for (done, tile) in grid.tiles.enumerated() {
            defer { tileDone(done + 1) }
            let activations = network.forward(image.cropped(rows: tile.rows, columns: tile.columns), through: deepestLayer,
                                              keeping: Set(contentLayers + styleLayers))
            for layer in contentLayers {
                let (rows, columns) = core(tile, layer)
                guard !rows.isEmpty && !columns.isEmpty else { continue }
                let share = Double(rows.count * columns.count) / Double(positions(layer, grid))
                let (loss, _) = times.measure(.losses) {
                    contentTerm(features: activations[layer]!.cropped(rows: rows, columns: columns),
                                target: contentTarget(layer, tile, rows: rows.count, columns: columns.count), weight: weights.content)
                }
                parts.content += loss * share
            }
            for layer in styleLayers {
                let (rows, columns) = core(tile, layer)
                channels[layer] = activations[layer]!.channels
                let part = times.measure(.gramMatrices) { style.sum(ofCore: activations[layer]!.cropped(rows: rows, columns: columns)) }
                if var sum = sums[layer] {
                    for i in sum.indices { sum[i] += part[i] }
                    sums[layer] = sum
                } else {
                    sums[layer] = part
                }
            }
        }
        var gradients: [String: any PositionwiseGradient] = [:]
        for layer in styleLayers {
            let (loss, gradient) = style.evaluate(sum: sums[layer]!, positions: positions(layer, grid), layer: layer,
                                                  weight: weights.style(maps: channels[layer]!), times: times)
            parts.style += loss
            gradients[layer] = gradient
        }
        return (parts, gradients)
    }

    /// Pass 2: each tile's gradient from its core's seeds, added over the tiles.
    func secondPass(_ image: Tensor, grid: TileGrid, factors: [String: any PositionwiseGradient], tileDone: (Int) -> Void) -> Tensor {
        var gradient = Tensor(shape: image.shape)
        for (done, tile) in grid.tiles.enumerated() {
            defer { tileDone(done + 1) }
            let activations = network.forward(image.cropped(rows: tile.rows, columns: tile.columns), through: deepestLayer,
                                              keeping: Set(contentLayers + styleLayers))
            var seeds = coreSeeds(activations, tile: tile, grid: grid, factors: factors)
            let tileGradient = network.backward(activations, gradients: &seeds)
            gradient.add(tileGradient, top: tile.rows.lowerBound, left: tile.columns.lowerBound)
        }
        return gradient
    }

    /// dL/dF at every layer a term looks at, over the tile's core only (zero in its halo): the
    /// content term's gradient, weighted by the core's share of the picture's positions, plus F S.
    func coreSeeds(_ activations: VGGActivations, tile: ImageTile, grid: TileGrid,
                   factors: [String: any PositionwiseGradient]) -> [String: ChannelsLastMaps] {
        let times = network.stageTimes
        var seeds: [String: ChannelsLastMaps] = [:]
        for layer in Set(contentLayers + styleLayers) {
            let features = activations[layer]!
            let (rows, columns) = core(tile, layer)
            guard !rows.isEmpty && !columns.isEmpty else { continue }
            let coreFeatures = features.cropped(rows: rows, columns: columns)
            var seed = ChannelsLastMaps(height: features.height, width: features.width, channels: features.channels)
            if contentLayers.contains(layer) {
                let share = Float(rows.count * columns.count) / Float(positions(layer, grid))
                let (_, g) = times.measure(.losses) {
                    contentTerm(features: coreFeatures, target: contentTarget(layer, tile, rows: rows.count, columns: columns.count),
                                weight: weights.content * share)
                }
                seed.add(g, top: rows.lowerBound, left: columns.lowerBound)
            }
            if let factor = factors[layer] {
                seed.add(times.measure(.gramMatrices) { factor.gradient(at: coreFeatures) }, top: rows.lowerBound, left: columns.lowerBound)
            }
            seeds[layer] = seed
        }
        return seeds
    }

    /// A tile's core at `layer`, in the tile's own positions there.
    func core(_ tile: ImageTile, _ layer: String) -> (rows: Range<Int>, columns: Range<Int>) {
        tile.core(atScale: network.network.architecture.scale(of: layer))
    }

    /// The picture's positions at `layer`.
    func positions(_ layer: String, _ grid: TileGrid) -> Int {
        let scale = network.network.architecture.scale(of: layer)
        return (grid.height / scale) * (grid.width / scale)
    }

    /// The content target under a tile's core.
    func contentTarget(_ layer: String, _ tile: ImageTile, rows: Int, columns: Int) -> ChannelsLastMaps {
        let (top, left) = tile.coreOrigin(atScale: network.network.architecture.scale(of: layer))
        return contentTargets[layer]!.cropped(rows: top..<(top + rows), columns: left..<(left + columns))
    }
}
