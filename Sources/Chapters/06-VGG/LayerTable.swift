// VGG's layers as a table: for each convolution and pooling, its feature maps, their size for a
// given picture, and its receptive field, the square of pixels one value of its maps can see.
//
// The receptive field grows the way chapter 3 describes, one layer at a time: a 3x3 convolution
// widens it by 2 steps of the layer's spacing, and a 2x2 pooling by 1 step, then doubles the
// spacing (a step between neighbouring values, counted in pixels). Chapter 6's table is this
// function's output at 512 pixels; a test checks the two agree.

/// One row of the layer table.
public struct VGGLayerRow: Sendable, Equatable {
    /// The layer's name, such as conv4_2 or pool3.
    public var name: String
    /// How many feature maps it has.
    public var channels: Int
    /// The maps' side for a square picture of the given side.
    public var size: Int
    /// The side of the square of pixels one value depends on.
    public var receptiveField: Int
}

extension VGGArchitecture {
    /// Every convolution (with its ReLU) and pooling, in order, for a square picture of side `size`.
    public func layerRows(size: Int) -> [VGGLayerRow] {
        var rows: [VGGLayerRow] = []
        var field = 1, spacing = 1, side = size, channels = 3
        var shapes = convolutionShapes.makeIterator()
        for layer in layers {
            switch layer {
            case .convolution(_, let name):
                channels = shapes.next()!.outputChannels
                field += 2 * spacing
                rows.append(VGGLayerRow(name: name, channels: channels, size: side, receptiveField: field))
            case .relu:
                continue
            case .pool(let name):
                field += spacing
                spacing *= 2
                side /= 2
                rows.append(VGGLayerRow(name: name, channels: channels, size: side, receptiveField: field))
            }
        }
        return rows
    }

    /// The rows as a Markdown table.
    public func layerTable(size: Int) -> String {
        var text = "| layer | feature maps | size at \(size) px | receptive field |\n|---|---|---|---|\n"
        for row in layerRows(size: size) {
            let name = row.name.hasPrefix("conv") ? "\(row.name), relu\(row.name.dropFirst(4))" : row.name
            text += "| \(name) | \(row.channels) | \(row.size) x \(row.size) | \(row.receptiveField) x \(row.receptiveField) px |\n"
        }
        return text
    }
}
