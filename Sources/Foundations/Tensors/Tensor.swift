// A tensor: a shape and a flat array of Float, the last dimension varying fastest.
//
// That is all it is. Feature maps are (C, H, W): C channels ("feature maps" in the article),
// each an H x W plane. Convolution kernels are (K, C, kh, kw): K output maps, each looking at
// all C input maps through a kh x kw window. Vectors and matrices are rank 1 and 2.

import SeededRandom

public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(data.count == shape.reduce(1, *), "data count \(data.count) does not match shape \(shape)")
        self.shape = shape
        self.data = data
    }

    public init(shape: [Int], value: Float = 0) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// Uniform random values in `range`, reproducible from `seed`.
    public static func random(shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, data: (0..<count).map { _ in Float.random(in: range, using: &rng) })
    }

    public var count: Int { data.count }

    /// Element (c, y, x) of a rank-3 tensor (C, H, W).
    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { data[(c * shape[1] + y) * shape[2] + x] }
        set { data[(c * shape[1] + y) * shape[2] + x] = newValue }
    }

    /// Element (i, j) of a matrix.
    public subscript(i: Int, j: Int) -> Float {
        get { data[i * shape[1] + j] }
        set { data[i * shape[1] + j] = newValue }
    }

    /// The same values with another shape of the same size.
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, data: data) }
}
