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
