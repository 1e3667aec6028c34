import Tensors
import Kernels
import VGG
import Optimisers
import ContentRepresentation
import StyleRepresentation

// The same loss and gradient in bounded memory: the picture in tiles.
//
// A whole evaluation keeps every layer's feature maps for the backward pass, about 1.8 KB per
// pixel, so a 3840x2160 picture would need some 15 GB at once. But every term of the loss is a
// sum over positions: the content term sums (F - P)^2 over a layer's positions, and the Gram
// matrix sums F_p F_p^T. So the positions can be shared out between tiles, each tile's *core*,
// as long as each tile's features at its core are exactly the whole picture's. They are if the
// tile also reads a *halo* around its core as wide as the network's receptive field up to the
// deepest layer used: a feature depends on nothing farther away. And the tiles must start on
// a grid (`TileGrid.reach`) on which every pooling window and every block of the fast
// convolutions is the one it is in the whole picture.
//
// The style term's gradient, dL/dF = F S, needs S, which needs the Gram matrix over the whole
// picture. So there are two passes over the tiles:
//   1. forward each tile; add its core's F^T F to each style layer's sum, and its core's part of
//      the content term. Then G, the style loss and S are known.
//   2. forward each tile again; seed the backward pass with dL/dF at its core only (F S plus the
//      content term's gradient; zero in the halo, which other tiles answer for); the gradient
//      that comes out at the tile's pixels, halo included, is added into the picture's gradient.
// Summed over the tiles, that is the whole picture's gradient, up to float rounding. The price is
// the second forward pass and the halos' extra pixels; the memory is one tile's.

/// One tile: the rows and columns of the picture whose features it answers for (its core), and
/// those it reads (the core and its halo, within the picture).
public struct ImageTile: Sendable, Equatable {
    public var coreRows: Range<Int>, coreColumns: Range<Int>
    public var rows: Range<Int>, columns: Range<Int>
    public var pixels: Int { rows.count * columns.count }

    /// The core at a layer of `scale` pixels per position, in the tile's own positions there
    /// (the core starts on the pooling grid, so it divides exactly).
    public func core(atScale scale: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        ((coreRows.lowerBound - rows.lowerBound) / scale..<(coreRows.upperBound - rows.lowerBound) / scale,
         (coreColumns.lowerBound - columns.lowerBound) / scale..<(coreColumns.upperBound - columns.lowerBound) / scale)
    }

    /// Where the core starts in the whole picture's positions at that layer.
    public func coreOrigin(atScale scale: Int) -> (top: Int, left: Int) {
        (coreRows.lowerBound / scale, coreColumns.lowerBound / scale)
    }
}

/// The tiles of an H x W picture: square cores of `coreSize` (the last row and column of tiles
/// take what is left), each read with a halo.
public struct TileGrid: Sendable, Equatable {
    public let height: Int, width: Int
    public let coreSize: Int
    /// Pixels read before a core (a multiple of the pooling grid) and after it.
    public let haloBefore: Int, haloAfter: Int
    public let tiles: [ImageTile]
    public let rowsOfTiles: Int, columnsOfTiles: Int

    /// A grid for `architecture` up to `deepestLayer`; `coreSize` is rounded up to the pooling grid.
    public init(height: Int, width: Int, coreSize: Int, architecture: VGGArchitecture, deepestLayer: String) {
        let (alignment, before, after) = TileGrid.reach(architecture: architecture, through: deepestLayer)
        self.init(height: height, width: width, coreSize: coreSize, alignment: alignment, haloBefore: before, haloAfter: after)
    }

    init(height: Int, width: Int, coreSize: Int, alignment: Int, haloBefore: Int, haloAfter: Int) {
        precondition(height > 0 && width > 0 && coreSize > 0, "a grid needs a picture and a core size")
        let core = (coreSize + alignment - 1) / alignment * alignment
        self.height = height
        self.width = width
        self.coreSize = core
        self.haloBefore = haloBefore
        self.haloAfter = haloAfter
        let rowStarts = Array(stride(from: 0, to: height, by: core)), columnStarts = Array(stride(from: 0, to: width, by: core))
        rowsOfTiles = rowStarts.count
        columnsOfTiles = columnStarts.count
        tiles = rowStarts.flatMap { y in
            columnStarts.map { x in
                let coreRows = y..<min(height, y + core), coreColumns = x..<min(width, x + core)
                return ImageTile(coreRows: coreRows, coreColumns: coreColumns,
                                 rows: max(0, y - haloBefore)..<min(height, coreRows.upperBound + haloAfter),
                                 columns: max(0, x - haloBefore)..<min(width, coreColumns.upperBound + haloAfter))
            }
        }
    }

    /// One tile covering the whole picture.
    public var isWhole: Bool { tiles.count == 1 }

    /// The largest tile's pixels (core and halo): what one tile's evaluation holds at once.
    public var largestTilePixels: Int { tiles.map(\.pixels).max() ?? 0 }

    /// All tiles' pixels over the picture's: the extra work of the halos (1 for a whole picture).
    public var overlap: Double { Double(tiles.map(\.pixels).reduce(0, +)) / Double(height * width) }

    /// The grid tiles start on, and how far the features of a core reach into the picture around
    /// it: before the core (rounded up to the grid) and after it. A 3x3 convolution at a scale of
    /// s pixels per position reaches s pixels to each side; a 2x2 pooling reaches no farther, as
    /// a core that starts and ends on its grid covers whole windows. The grid is the pooling's,
    /// 2^poolings, times 4: the fast convolutions work in blocks of 4x4 positions (Winograd's
    /// F(4x4, 3x3)), and a tile that starts on a block's edge at every layer computes each of its
    /// core's features with exactly the whole picture's arithmetic, not merely up to rounding.
    public static func reach(architecture: VGGArchitecture, through layer: String) -> (alignment: Int, before: Int, after: Int) {
        guard let last = architecture.layerIndex(layer) else { preconditionFailure("no layer named \(layer)") }
        var scale = 1, reach = 0, blocks = 1
        for index in 0...last {
            switch architecture.layers[index] {
            case .convolution: reach += scale; blocks = 4 * scale
            case .pool: scale *= 2
            case .relu: break
            }
        }
        let alignment = max(scale, blocks)
        return (alignment, (reach + alignment - 1) / alignment * alignment, reach)
    }
}

extension VGGArchitecture {
    /// Pixels per position at the output of layer `name`: 2 to the number of poolings up to and
    /// including it.
    func scale(of name: String) -> Int {
        let pooled = layers[layerIndex(name)!].name.hasPrefix("pool") ? 1 : 0
        return 1 << (poolings(before: name) + pooled)
    }
}

extension ChannelsLastMaps {
    /// The positions in `rows` x `columns`, as maps of their own.
    func cropped(rows: Range<Int>, columns: Range<Int>) -> ChannelsLastMaps {
        var result = ChannelsLastMaps(uninitializedHeight: rows.count, width: columns.count, channels: channels)
        for (i, y) in rows.enumerated() {
            let source = (y * width + columns.lowerBound) * channels, destination = i * columns.count * channels
            result.data.replaceSubrange(destination..<(destination + columns.count * channels),
                                        with: data[source..<(source + columns.count * channels)])
        }
        return result
    }

    /// `part` added into these maps at rows from `top` and columns from `left`.
    mutating func add(_ part: ChannelsLastMaps, top: Int, left: Int) {
        precondition(part.channels == channels && top + part.height <= height && left + part.width <= width, "the part lies within")
        for y in 0..<part.height {
            let source = y * part.width * channels, destination = ((top + y) * width + left) * channels
            for i in 0..<(part.width * channels) { data[destination + i] += part.data[source + i] }
        }
    }
}

extension Tensor {
    /// A (C, H, W) tensor's pixels in `rows` x `columns`.
    func cropped(rows: Range<Int>, columns: Range<Int>) -> Tensor {
        let (c, h, w) = (shape[0], shape[1], shape[2])
        precondition(rows.upperBound <= h && columns.upperBound <= w, "the crop lies within")
        var result = Tensor(shape: [c, rows.count, columns.count])
        var i = 0
        for k in 0..<c {
            for y in rows {
                for x in columns { result.data[i] = data[(k * h + y) * w + x]; i += 1 }
            }
        }
        return result
    }
}

extension StyleTransferLoss {
    /// The loss and its gradient computed tile by tile over `grid`: the same as `evaluate`, up
    /// to float rounding, holding one tile's feature maps at a time. Spatial control (regions)
    /// is evaluated only whole: a grid of one tile. `progress` hears the share of the evaluation done after each tile of each pass.
    public func evaluate(_ image: Tensor, tiles grid: TileGrid,
                         progress: (Double) -> Void = { _ in }) -> (parts: LossParts, gradient: Tensor) {
        let (height, width) = (image.shape[1], image.shape[2])
        precondition(grid.height == height && grid.width == width, "the grid is the picture's")
        // One tile is the whole picture: the whole evaluation, spatial control included.
        if grid.isWhole { return evaluate(image) }
        precondition(regions == nil, "spatial control needs the whole picture (MemoryPlan refuses to tile it)")
        let architecture = network.network.architecture
        let layers = Set(contentLayers + styleLayers)
        let times = network.stageTimes
        // Each layer's positions: the picture's, and a tile's core in its own coordinates.
        func scale(_ layer: String) -> Int { architecture.scale(of: layer) }
        func core(_ tile: ImageTile, _ layer: String) -> (rows: Range<Int>, columns: Range<Int>) { tile.core(atScale: scale(layer)) }
        /// The content target under a tile's core.
        func contentTarget(_ layer: String, _ tile: ImageTile, rows: Int, columns: Int) -> ChannelsLastMaps {
            let (top, left) = tile.coreOrigin(atScale: scale(layer))
            return contentTargets[layer]!.cropped(rows: top..<(top + rows), columns: left..<(left + columns))
        }
        func positions(_ layer: String) -> Int { (height / scale(layer)) * (width / scale(layer)) }

        // Pass 1: the Gram matrices' sums and the content term, core by core.
        var parts = LossParts()
        var gramSums = GramSums()
        let steps = Double(2 * grid.tiles.count)
        for (done, tile) in grid.tiles.enumerated() {
            defer { progress(Double(done + 1) / steps) }
            let activations = network.forward(image.cropped(rows: tile.rows, columns: tile.columns), through: deepestLayer, keeping: layers)
            for layer in contentLayers {
                let (rows, columns) = core(tile, layer)
                guard !rows.isEmpty && !columns.isEmpty else { continue }
                let share = Double(rows.count * columns.count) / Double(positions(layer))
                let (loss, _) = times.measure(.losses) {
                    contentTerm(features: activations[layer]!.cropped(rows: rows, columns: columns),
                                target: contentTarget(layer, tile, rows: rows.count, columns: columns.count), weight: weights.content)
                }
                parts.content += loss * share
            }
            for layer in styleLayers {
                let (rows, columns) = core(tile, layer)
                times.measure(.gramMatrices) { gramSums.add(activations[layer]!.cropped(rows: rows, columns: columns), at: layer) }
            }
        }
        var factors: [String: GramGradientFactor] = [:]
        for layer in styleLayers {
            let target = styleTargets[layer]!, c = target.shape[0], n = positions(layer)
            let gram = gramSums.matrix(at: layer, positions: n)
            let weight = weights.style(maps: c)
            let (loss, dGram) = times.measure(.losses) { meanSquaredErrorAndGradient(gram.data, target: target.data, dLoss: weight) }
            parts.style += Double(weight) * loss
            factors[layer] = GramGradientFactor(dGram: Tensor(shape: [c, c], data: dGram), positions: n)
        }

        // Pass 2: each tile's gradient from its core's seeds, added over the tiles.
        var gradient = Tensor(shape: image.shape)
        for (done, tile) in grid.tiles.enumerated() {
            defer { progress(Double(grid.tiles.count + done + 1) / steps) }
            let activations = network.forward(image.cropped(rows: tile.rows, columns: tile.columns), through: deepestLayer, keeping: layers)
            var seeds: [String: ChannelsLastMaps] = [:]
            for layer in layers {
                let features = activations[layer]!
                let (rows, columns) = core(tile, layer)
                guard !rows.isEmpty && !columns.isEmpty else { continue }
                let coreFeatures = features.cropped(rows: rows, columns: columns)
                var seed = ChannelsLastMaps(height: features.height, width: features.width, channels: features.channels)
                if contentLayers.contains(layer) {
                    // The mean over the core, weighted by the core's share of the picture's positions.
                    let share = Float(rows.count * columns.count) / Float(positions(layer))
                    let (_, g) = times.measure(.losses) {
                        contentTerm(features: coreFeatures, target: contentTarget(layer, tile, rows: rows.count, columns: columns.count),
                                    weight: weights.content * share)
                    }
                    seed.add(g, top: rows.lowerBound, left: columns.lowerBound)
                }
                if let factor = factors[layer] {
                    seed.add(times.measure(.gramMatrices) { factor.applied(to: coreFeatures) }, top: rows.lowerBound, left: columns.lowerBound)
                }
                seeds[layer] = seed
            }
            let tileGradient = network.backward(activations, gradients: &seeds)
            let (th, tw) = (tile.rows.count, tile.columns.count)
            for k in 0..<3 {
                for y in 0..<th {
                    for x in 0..<tw { gradient.data[(k * height + tile.rows.lowerBound + y) * width + tile.columns.lowerBound + x] += tileGradient.data[(k * th + y) * tw + x] }
                }
            }
        }
        if weights.totalVariation != 0 { times.measure(.losses) {
            parts.totalVariation = totalVariationAddingGradient(image.data, channels: image.shape[0], height: height,
                                                                width: width, weight: weights.totalVariation, into: &gradient.data)
        } }
        return (parts, gradient)
    }
}

/// The feature maps of `image` at `layers`, the whole picture's, computed tile by tile (or
/// whole, without a grid or with a grid of one tile).
func featureMaps(network: FastVGG, image: Tensor, layers: [String], grid: TileGrid?) -> [String: ChannelsLastMaps] {
    guard let grid, !grid.isWhole else { return ContentRepresentation.targets(network: network, content: image, layers: layers) }
    let architecture = network.network.architecture
    var maps: [String: ChannelsLastMaps] = [:]
    for tile in grid.tiles {
        let activations = network.forward(image.cropped(rows: tile.rows, columns: tile.columns), through: architecture.deepest(of: layers),
                                          keeping: Set(layers))
        for layer in layers {
            let s = architecture.scale(of: layer), features = activations[layer]!
            let (rows, columns) = tile.core(atScale: s), (top, left) = tile.coreOrigin(atScale: s)
            if maps[layer] == nil { maps[layer] = ChannelsLastMaps(height: grid.height / s, width: grid.width / s, channels: features.channels) }
            guard !rows.isEmpty && !columns.isEmpty else { continue }
            maps[layer]!.add(features.cropped(rows: rows, columns: columns), top: top, left: left)
        }
    }
    return maps
}

/// Gram matrices summed core by core: for each layer, the sum over positions of F_p F_p^T, made
/// a Gram matrix at the end by dividing by C N for the picture's N positions.
struct GramSums {
    var sums: [String: [Double]] = [:]

    /// Adds the positions of `features` (a core; possibly empty) at `layer`.
    mutating func add(_ features: ChannelsLastMaps, at layer: String) {
        let c = features.channels, n = features.height * features.width
        var sum = sums[layer] ?? [Double](repeating: 0, count: c * c)
        if n > 0 {
            // gramMatrix divides by C n for the core's n positions: multiplied back to a sum.
            let gram = gramMatrix(features)
            for i in sum.indices { sum[i] += Double(gram.data[i]) * Double(c * n) }
        }
        sums[layer] = sum
    }

    /// The Gram matrix at `layer` of a picture with `positions` positions there.
    func matrix(at layer: String, positions n: Int) -> Tensor {
        let sum = sums[layer]!, c = Int(Double(sum.count).squareRoot())
        return Tensor(shape: [c, c], data: sum.map { Float($0 / Double(c * n)) })
    }
}

/// The Gram matrices of `image` at `layers`, summed over the cores of `grid` (or whole, without
/// a grid or with a grid of one tile).
func gramMatrices(network: FastVGG, image: Tensor, layers: [String], grid: TileGrid?) -> [String: Tensor] {
    guard let grid, !grid.isWhole else { return StyleRepresentation.gramMatrices(network: network, image: image, layers: layers) }
    let architecture = network.network.architecture
    var sums = GramSums()
    for tile in grid.tiles {
        let activations = network.forward(image.cropped(rows: tile.rows, columns: tile.columns), through: architecture.deepest(of: layers),
                                          keeping: Set(layers))
        for layer in layers {
            let (rows, columns) = tile.core(atScale: architecture.scale(of: layer))
            sums.add(activations[layer]!.cropped(rows: rows, columns: columns), at: layer)
        }
    }
    return Dictionary(uniqueKeysWithValues: layers.map { layer in
        let s = architecture.scale(of: layer)
        return (layer, sums.matrix(at: layer, positions: (grid.height / s) * (grid.width / s)))
    })
}
