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
}

public enum ContactSheet {
    /// Lays `images` out in rows of `columns` cells on a white background, `padding` pixels
    /// apart, each cell as large as the largest image. With `labels` (one per image), each cell
    /// has its label under it; with a `title`, the sheet has it on top. Gray images are shown
    /// as gray.
    public static func make(_ images: [FloatImage], labels: [String]? = nil, title: String? = nil, columns: Int,
                            padding: Int = 4, background: Float = 255) -> FloatImage {
        precondition(!images.isEmpty && columns >= 1)
        precondition(labels == nil || labels!.count == images.count, "one label per image")
        let labelHeight = labels == nil ? 0 : BitmapFont.glyphHeight + 4
        let titleHeight = title == nil ? 0 : BitmapFont.glyphHeight + 6
        let widest = max(images.map(\.width).max()!, (labels ?? []).map { BitmapFont.width(of: $0) + 4 }.max() ?? 0)
        let (cellWidth, cellHeight) = (widest, images.map(\.height).max()! + labelHeight)
        let rows = (images.count + columns - 1) / columns
        let columnsUsed = min(columns, images.count)
        var sheet = FloatImage(channels: 3, height: titleHeight + rows * cellHeight + (rows + 1) * padding,
                               width: max(columnsUsed * cellWidth + (columnsUsed + 1) * padding,
                                          BitmapFont.width(of: title ?? "") + 2 * padding), value: background)
        if let title { sheet.draw(title, x: padding, y: padding + 2) }
        for (index, image) in images.enumerated() {
            let rgb = image.rgb()
            let left = padding + (index % columns) * (cellWidth + padding)
            let top = titleHeight + padding + (index / columns) * (cellHeight + padding)
            for c in 0..<3 {
                for y in 0..<rgb.height {
                    for x in 0..<rgb.width { sheet[c, top + y, left + x] = rgb[c, y, x] }
                }
            }
            if let label = labels?[index] { sheet.draw(label, x: left, y: top + rgb.height + 3, colour: [40, 40, 40]) }
        }
        return sheet
    }
}
