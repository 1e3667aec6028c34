import Tensors
import Kernels
import VGG
import FastNetwork
import Optimisers
import ContentRepresentation
import StyleRepresentation

// The targets of a run, made in tiles when the pictures are large: the content photo's feature
// maps assembled core by core, and the style images' Gram matrices summed core by core
// (TileGrid.swift says why the cores' features are exactly the whole picture's).

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

/// The Gram matrices of `image` at `layers`, summed over the cores of `grid` (or whole, without
/// a grid or with a grid of one tile).
func gramMatrices(network: FastVGG, image: Tensor, layers: [String], grid: TileGrid?) -> [String: Tensor] {
    guard let grid, !grid.isWhole else { return StyleRepresentation.gramMatrices(network: network, image: image, layers: layers) }
    let architecture = network.network.architecture
    var sums: [String: [Double]] = [:]
    for tile in grid.tiles {
        let activations = network.forward(image.cropped(rows: tile.rows, columns: tile.columns), through: architecture.deepest(of: layers),
                                          keeping: Set(layers))
        for layer in layers {
            let (rows, columns) = tile.core(atScale: architecture.scale(of: layer))
            let part = gramSum(activations[layer]!.cropped(rows: rows, columns: columns))
            sums[layer] = zip(sums[layer] ?? [Double](repeating: 0, count: part.count), part).map { $0 + $1 }
        }
    }
    return Dictionary(uniqueKeysWithValues: layers.map { layer in
        let s = architecture.scale(of: layer)
        return (layer, gramMatrix(sum: sums[layer]!, positions: (grid.height / s) * (grid.width / s)))
    })
}
