import Pictures

// Chapter 3, "Local Receptive Fields" (the example of Nielsen's chapter 6).
//
// In a fully connected layer every hidden neuron sees every input pixel. In a convolutional
// network each hidden neuron sees only a small window of the input, its *local receptive
// field*: with a 28x28 input and 5x5 fields, the neuron at (j, k) looks at input rows j...j+4
// and columns k...k+4. Sliding the field one pixel at a time gives 28 - 5 + 1 = 24 positions
// across and down, so the hidden layer is 24x24.

/// A hidden layer whose neurons each see a square window of the input, their local receptive field
/// (chapter 3).
public struct LocalReceptiveFieldLayer: Sendable {
    /// The input's side in pixels (28 in the article's example).
    public var inputSide: Int
    /// A field's side (5 in the article's example).
    public var fieldSide: Int
    /// How far the field moves from one hidden neuron to the next.
    public var stride: Int

    /// The article's layer by default: 28x28 input, 5x5 fields, moved one pixel at a time.
    public init(inputSide: Int = 28, fieldSide: Int = 5, stride: Int = 1) {
        self.inputSide = inputSide
        self.fieldSide = fieldSide
        self.stride = stride
    }

    /// (input side - field side) / stride + 1 hidden neurons across, and as many down.
    public var hiddenSide: Int { (inputSide - fieldSide) / stride + 1 }

    /// The input rows and columns hidden neuron (j, k) is connected to.
    public func field(row j: Int, column k: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        ((j * stride)..<(j * stride + fieldSide), (k * stride)..<(k * stride + fieldSide))
    }

    /// Connections and parameters of this layer compared with a fully connected one with as
    /// many hidden neurons: local fields each with their own weights, local fields sharing one
    /// set (chapter 4), and every neuron seeing every pixel.
    public var counts: (localConnections: Int, localWeights: Int, sharedWeights: Int, fullyConnectedWeights: Int) {
        let hidden = hiddenSide * hiddenSide
        let perField = fieldSide * fieldSide
        return (hidden * perField, hidden * perField + hidden, perField + 1, inputSide * inputSide * hidden + hidden)
    }

    /// The input enlarged, with the receptive field of hidden neuron (j, k) outlined in red.
    public func picture(of input: FloatImage, row j: Int, column k: Int, scale: Int = 8) -> FloatImage {
        var image = input.rgb().enlarged(by: scale)
        let (rows, columns) = field(row: j, column: k)
        let top = rows.lowerBound * scale, bottom = rows.upperBound * scale - 1
        let left = columns.lowerBound * scale, right = columns.upperBound * scale - 1
        for t in 0..<2 {
            for x in left...right {
                paint(&image, top + t, x)
                paint(&image, bottom - t, x)
            }
            for y in top...bottom {
                paint(&image, y, left + t)
                paint(&image, y, right - t)
            }
        }
        return image
    }

    func paint(_ image: inout FloatImage, _ y: Int, _ x: Int) {
        guard y >= 0, y < image.height, x >= 0, x < image.width else { return }
        image[0, y, x] = 230
        image[1, y, x] = 40
        image[2, y, x] = 40
    }
}
