import Pictures

/// Pictures of what a perceptron (or any two-input classifier) has learned: the unit square
/// shaded by its output (blue where it answers 1, orange where it answers 0, paler near the
/// boundary), and the examples as dots in the colour of their true class.
public enum DecisionBoundaryPicture {
    public static func render(size: Int = 160, examples: [Example], output: ([Float]) -> Float) -> FloatImage {
        var image = FloatImage(channels: 3, height: size, width: size)
        let one: [Float] = [70, 120, 220], zero: [Float] = [240, 150, 60], white: Float = 255
        for row in 0..<size {
            for column in 0..<size {
                // y grows upwards, as in a plot.
                let point: [Float] = [(Float(column) + 0.5) / Float(size), 1 - (Float(row) + 0.5) / Float(size)]
                let o = min(1, max(0, output(point)))
                for c in 0..<3 {
                    let shade = o * one[c] + (1 - o) * zero[c]
                    image[c, row, column] = 0.45 * shade + 0.55 * white   // pale background
                }
            }
        }
        for example in examples {
            let cx = example.inputs[0] * Float(size), cy = (1 - example.inputs[1]) * Float(size)
            let colour = example.target > 0.5 ? one : zero
            for row in max(0, Int(cy) - 4)..<min(size, Int(cy) + 5) {
                for column in max(0, Int(cx) - 4)..<min(size, Int(cx) + 5) {
                    let d2 = (Float(column) + 0.5 - cx) * (Float(column) + 0.5 - cx) + (Float(row) + 0.5 - cy) * (Float(row) + 0.5 - cy)
                    if d2 <= 12 { for c in 0..<3 { image[c, row, column] = d2 > 6 ? 30 : colour[c] } }
                }
            }
        }
        return image
    }
}
