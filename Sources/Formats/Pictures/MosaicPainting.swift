// The project's own style image: a mosaic, generated from a seed, so a fresh clone has a style
// to paint with without fetching anything (the paintings people like to use are not ours to
// ship). Tiles are the cells of a jittered grid's Voronoi diagram, each one colour from a small
// palette with a gentle light-to-dark shading, separated by dark grout; a little noise gives
// the glaze. Strong edges, flat colours and a repeating texture: what a style loss picks up well.

public enum MosaicPainting {
    /// The palette: warm ochres and terracottas against deep blues and teals (RGB, 0...255).
    public static let palette: [(Float, Float, Float)] = [
        (196, 98, 45), (224, 168, 72), (238, 210, 140), (150, 52, 40),
        (36, 70, 130), (52, 120, 150), (24, 40, 80), (120, 160, 170),
    ]

    /// A width x height RGB mosaic with tiles about `tile` pixels across.
    public static func generate(width: Int, height: Int, tile: Int = 22, seed: UInt64 = 7) -> FloatImage {
        var state = seed
        func random() -> Float {   // SplitMix64, as elsewhere in the project
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Float((z ^ (z >> 31)) >> 40) / Float(1 << 24)
        }
        let columns = width / tile + 2, rows = height / tile + 2
        // One seed point per grid cell, jittered, with its colour and shading direction. The
        // colour follows a slow swirl across the picture, so the tiles form bands, not confetti.
        var points: [(x: Float, y: Float, colour: (Float, Float, Float), shade: (Float, Float))] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let x = (Float(c) - 0.5 + random()) * Float(tile), y = (Float(r) - 0.5 + random()) * Float(tile)
                let swirl = sin(x / Float(width) * 6.3 + cos(y / Float(height) * 5)) + 0.6 * random()
                let index = min(palette.count - 1, max(0, Int((swirl + 1) / 2.6 * Float(palette.count))))
                let angle = random() * 6.283
                points.append((x, y, palette[index], (cos(angle), sin(angle))))
            }
        }
        var image = FloatImage(channels: 3, height: height, width: width)
        for y in 0..<height {
            for x in 0..<width {
                let (px, py) = (Float(x) + 0.5, Float(y) + 0.5)
                let (gc, gr) = (Int(px) / tile + 1, Int(py) / tile + 1)
                var best = (distance: Float.infinity, index: 0), second = Float.infinity
                for r in max(0, gr - 2)...min(rows - 1, gr + 2) {
                    for c in max(0, gc - 2)...min(columns - 1, gc + 2) {
                        let p = points[r * columns + c]
                        let d = ((px - p.x) * (px - p.x) + (py - p.y) * (py - p.y)).squareRoot()
                        if d < best.distance { second = best.distance; best = (d, r * columns + c) }
                        else if d < second { second = d }
                    }
                }
                let p = points[best.index]
                let grout = second - best.distance < 2.2
                let shading = 1 + 0.18 * ((px - p.x) * p.shade.0 + (py - p.y) * p.shade.1) / Float(tile)
                let glaze = 1 + 0.06 * (random() - 0.5)
                let rgb = grout ? (Float(46), Float(38), Float(34)) : (p.colour.0 * shading * glaze, p.colour.1 * shading * glaze, p.colour.2 * shading * glaze)
                image[0, y, x] = min(255, max(0, rgb.0))
                image[1, y, x] = min(255, max(0, rgb.1))
                image[2, y, x] = min(255, max(0, rgb.2))
            }
        }
        return image
    }
}

import Foundation
