import SeededRandom
import Tensors
import Foundation

// The sliced Wasserstein term looks at a layer's features along random directions: each
// direction turns every position's C features into one number, the projection. Heitz et al.
// draw them uniformly on the unit sphere, which a vector of independent normal values scaled to
// length 1 does (the normal distribution in C dimensions looks the same in every direction).

/// `count` random unit vectors in `dimension` dimensions, the rows of a (count, dimension)
/// tensor: independent normal values (Box and Muller's transform of two uniform ones), each row
/// scaled to length 1. The same seed draws the same directions.
public func randomDirections(count: Int, dimension: Int, seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    func uniform() -> Double { (Double(generator.next() >> 11) + 0.5) / Double(1 << 53) }   // in (0, 1)
    var directions = Tensor(shape: [count, dimension])
    for row in 0..<count {
        var values = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            let (u, v) = (uniform(), uniform())
            values[i] = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        let length = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for i in 0..<dimension { directions[row, i] = Float(values[i] / length) }
    }
    return directions
}

/// The seed of one layer's directions at one draw of a run: a run redraws its directions every
/// few iterations (SlicedWassersteinTerm.swift), each draw and each layer from its own seed.
public func directionSeed(run seed: UInt64, draw: Int, layer: Int) -> UInt64 {
    var mixer = SplitMix64(seed: seed ^ (UInt64(draw) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(layer) &* 0xC2B2_AE3D_27D4_EB4F))
    return mixer.next()
}
