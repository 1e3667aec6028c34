import Pictures

/// Pictures of what a two-input perceptron has learned: the plane from -0.25 to 1.25 on both
/// axes (so points at the corners of the unit square sit well inside), shaded by its output
/// (blue where it answers 1, orange where it answers 0, paler where the sigmoid is unsure), the
/// line w1 x1 + w2 x2 + b = 0 where its weighted sum changes sign, drawn in black, and the
/// examples as dots in the colour of their true class.
public enum DecisionBoundaryPicture {
    /// The part of the plane shown, on both axes.
    public static let range: ClosedRange<Float> = -0.25...1.25

    /// The picture of `perceptron` over the plane, `size` pixels square, with `examples` drawn on
    /// it and `title` above.
    public static func render(size: Int = 160, examples: [Example], perceptron: Perceptron, title: String? = nil) -> FloatImage {
        let span = range.upperBound - range.lowerBound
        /// The point at the centre of pixel (row, column); x2 grows upwards, as in a plot.
        func point(_ row: Float, _ column: Float) -> [Float] {
            [range.lowerBound + (column + 0.5) / Float(size) * span, range.upperBound - (row + 0.5) / Float(size) * span]
        }
        var image = FloatImage(channels: 3, height: size, width: size)
        let one: [Float] = [70, 120, 220], zero: [Float] = [240, 150, 60], white: Float = 255
        let pixel = span / Float(size)
        let length = (perceptron.weights[0] * perceptron.weights[0] + perceptron.weights[1] * perceptron.weights[1]).squareRoot()
        for row in 0..<size {
            for column in 0..<size {
                let p = point(Float(row), Float(column))
                let o = min(1, max(0, perceptron.output(p)))
                // Distance from the line w . x + b = 0, in pixels.
                let distance = length > 0 ? abs(perceptron.weightedSum(p)) / length / pixel : .infinity
                for c in 0..<3 {
                    let shade = o * one[c] + (1 - o) * zero[c]
                    image[c, row, column] = distance < 0.8 ? 20 : 0.45 * shade + 0.55 * white
                }
            }
        }
        // The unit square's corners, faintly, as a frame of reference.
        for (x, y) in [(Float(0), Float(0)), (0, 1), (1, 0), (1, 1)] {
            let (cx, cy) = ((x - range.lowerBound) / span * Float(size), (range.upperBound - y) / span * Float(size))
            for d in -7...7 {
                for (r, c) in [(Int(cy) + d, Int(cx)), (Int(cy), Int(cx) + d)] where r >= 0 && r < size && c >= 0 && c < size {
                    for channel in 0..<3 { image[channel, r, c] = min(image[channel, r, c], 150) }
                }
            }
        }
        for example in examples {
            let cx = (example.inputs[0] - range.lowerBound) / span * Float(size)
            let cy = (range.upperBound - example.inputs[1]) / span * Float(size)
            let colour = example.target > 0.5 ? one : zero
            for row in max(0, Int(cy) - 5)..<min(size, Int(cy) + 6) {
                for column in max(0, Int(cx) - 5)..<min(size, Int(cx) + 6) {
                    let d2 = (Float(column) + 0.5 - cx) * (Float(column) + 0.5 - cx) + (Float(row) + 0.5 - cy) * (Float(row) + 0.5 - cy)
                    if d2 <= 20 { for c in 0..<3 { image[c, row, column] = d2 > 11 ? 30 : colour[c] } }
                }
            }
        }
        if let title { image.draw(title, x: 3, y: 3, colour: [20, 20, 20]) }
        return image
    }
}
