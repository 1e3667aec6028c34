// Changing an image's size, for `--size` and for contact sheets.
//
// Shrinking averages: each output pixel is the mean of the input area it covers, with partial
// pixels at the edges weighted by how much of them is covered (a box filter), so no detail is
// skipped and there is no aliasing from dropped pixels. Enlarging interpolates bilinearly
// between the four nearest input pixel centres. Each axis is handled separately, so an image
// can shrink in one direction and grow in the other.

extension FloatImage {
    /// The image resampled to `newWidth` x `newHeight`.
    public func resized(width newWidth: Int, height newHeight: Int) -> FloatImage {
        precondition(newWidth >= 1 && newHeight >= 1, "sizes must be positive")
        if newWidth == width && newHeight == height { return self }
        let horizontal = Resampling.weights(from: width, to: newWidth)
        let vertical = Resampling.weights(from: height, to: newHeight)
        // Rows first (width changes), then columns (height changes).
        var wide = FloatImage(channels: channels, height: height, width: newWidth)
        for c in 0..<channels {
            for y in 0..<height {
                let row = (c * height + y) * width
                for x in 0..<newWidth {
                    var sum: Float = 0
                    for (index, weight) in horizontal[x] { sum += pixels[row + index] * weight }
                    wide.pixels[(c * height + y) * newWidth + x] = sum
                }
            }
        }
        var out = FloatImage(channels: channels, height: newHeight, width: newWidth)
        for c in 0..<channels {
            for y in 0..<newHeight {
                for x in 0..<newWidth {
                    var sum: Float = 0
                    for (index, weight) in vertical[y] { sum += wide.pixels[(c * height + index) * newWidth + x] * weight }
                    out.pixels[(c * newHeight + y) * newWidth + x] = sum
                }
            }
        }
        return out
    }

    /// Scales so the longer side is `longestSide` pixels, keeping the aspect ratio. An image
    /// whose longer side already is `longestSide` comes back as it is, not resampled.
    public func resized(longestSide: Int) -> FloatImage {
        if max(width, height) == longestSide { return self }
        let shape = shape(longestSide: longestSide)
        return resized(width: shape.width, height: shape.height)
    }

    /// The height and width `resized(longestSide:)` gives.
    public func shape(longestSide: Int) -> (height: Int, width: Int) {
        if max(width, height) == longestSide { return (height, width) }
        let scale = Double(longestSide) / Double(max(width, height))
        return (max(1, Int((Double(height) * scale).rounded())), max(1, Int((Double(width) * scale).rounded())))
    }
}

enum Resampling {
    /// For each output index along one axis, the input indices it draws on and their weights
    /// (which sum to 1).
    static func weights(from n: Int, to m: Int) -> [[(Int, Float)]] {
        let scale = Double(n) / Double(m)
        if m <= n {
            // Area average: output pixel i covers input interval [i * scale, (i + 1) * scale).
            return (0..<m).map { i in
                let start = Double(i) * scale, end = Double(i + 1) * scale
                var taps: [(Int, Float)] = []
                var j = Int(start)
                while Double(j) < end && j < n {
                    let overlap = min(end, Double(j + 1)) - max(start, Double(j))
                    if overlap > 1e-12 { taps.append((j, Float(overlap / scale))) }
                    j += 1
                }
                return taps
            }
        }
        // Bilinear: output pixel centre i + 0.5 maps to input position (i + 0.5) * scale - 0.5.
        return (0..<m).map { i in
            let position = min(Double(n - 1), max(0, (Double(i) + 0.5) * scale - 0.5))
            let left = Int(position)
            let t = Float(position - Double(left))
            if left + 1 >= n || t == 0 { return [(left, 1)] }
            return [(left, 1 - t), (left + 1, t)]
        }
    }
}
