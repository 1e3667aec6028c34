import VGG

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

    public init(height: Int, width: Int, coreSize: Int, alignment: Int, haloBefore: Int, haloAfter: Int) {
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
