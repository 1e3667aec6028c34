// Pictures side by side: every demo shows its results as one PNG a learner can take in at a
// glance, and small images are blown up with visible pixels so nothing is smoothed away.

extension FloatImage {
    /// Each pixel repeated `factor` times in both directions (nearest neighbour), so a 28x28
    /// input or a 5x5 kernel can be seen.
    public func enlarged(by factor: Int) -> FloatImage {
        precondition(factor >= 1)
        var out = FloatImage(channels: channels, height: height * factor, width: width * factor)
        for c in 0..<channels {
            for y in 0..<height * factor {
                for x in 0..<width * factor { out[c, y, x] = self[c, y / factor, x / factor] }
            }
        }
        return out
    }

    /// Values mapped linearly so the smallest becomes 0 and the largest 255: for showing
    /// feature maps, weights and residuals, whose own range is anything.
    public func normalizedForDisplay() -> FloatImage {
        guard let low = pixels.min(), let high = pixels.max(), high > low else {
            return FloatImage(channels: channels, height: height, width: width, value: 128)
        }
        return FloatImage(channels: channels, height: height, width: width,
                          pixels: pixels.map { ($0 - low) / (high - low) * 255 })
    }
}

public enum ContactSheet {
    /// Lays `images` out in rows of `columns` cells, each as large as the largest image, on a
    /// white background with `padding` pixels between cells. Gray images are shown as gray.
    public static func make(_ images: [FloatImage], columns: Int, padding: Int = 4, background: Float = 255) -> FloatImage {
        precondition(!images.isEmpty && columns >= 1)
        let cellWidth = images.map(\.width).max()!, cellHeight = images.map(\.height).max()!
        let rows = (images.count + columns - 1) / columns
        let columnsUsed = min(columns, images.count)
        var sheet = FloatImage(channels: 3, height: rows * cellHeight + (rows + 1) * padding,
                               width: columnsUsed * cellWidth + (columnsUsed + 1) * padding, value: background)
        for (index, image) in images.enumerated() {
            let rgb = image.rgb()
            let left = padding + (index % columns) * (cellWidth + padding)
            let top = padding + (index / columns) * (cellHeight + padding)
            for c in 0..<3 {
                for y in 0..<rgb.height {
                    for x in 0..<rgb.width { sheet[c, top + y, left + x] = rgb[c, y, x] }
                }
            }
        }
        return sheet
    }
}
