import Tensors
import Kernels

// Cutting a tile out of a picture or of its feature maps, and adding a core's part back into
// the whole: the copies a tiled evaluation (TiledEvaluation.swift) makes.

extension ChannelsLastMaps {
    /// The positions in `rows` x `columns`, as maps of their own.
    func cropped(rows: Range<Int>, columns: Range<Int>) -> ChannelsLastMaps {
        var result = ChannelsLastMaps(uninitializedHeight: rows.count, width: columns.count, channels: channels)
        for (i, y) in rows.enumerated() {
            let source = (y * width + columns.lowerBound) * channels, destination = i * columns.count * channels
            result.data.replaceSubrange(destination..<(destination + columns.count * channels),
                                        with: data[source..<(source + columns.count * channels)])
        }
        return result
    }

    /// `part` added into these maps at rows from `top` and columns from `left`.
    mutating func add(_ part: ChannelsLastMaps, top: Int, left: Int) {
        precondition(part.channels == channels && top + part.height <= height && left + part.width <= width, "the part lies within")
        for y in 0..<part.height {
            let source = y * part.width * channels, destination = ((top + y) * width + left) * channels
            for i in 0..<(part.width * channels) { data[destination + i] += part.data[source + i] }
        }
    }
}

extension Tensor {
    /// A (C, H, W) tensor's pixels in `rows` x `columns`.
    func cropped(rows: Range<Int>, columns: Range<Int>) -> Tensor {
        let (c, h, w) = (shape[0], shape[1], shape[2])
        precondition(rows.upperBound <= h && columns.upperBound <= w, "the crop lies within")
        var result = Tensor(shape: [c, rows.count, columns.count])
        var i = 0
        for k in 0..<c {
            for y in rows {
                for x in columns { result.data[i] = data[(k * h + y) * w + x]; i += 1 }
            }
        }
        return result
    }
}

extension Tensor {
    /// `part` (C, h, w) added into this (C, H, W) tensor at rows from `top` and columns from `left`.
    mutating func add(_ part: Tensor, top: Int, left: Int) {
        let (c, height, width) = (shape[0], shape[1], shape[2]), (h, w) = (part.shape[1], part.shape[2])
        precondition(part.shape[0] == c && top + h <= height && left + w <= width, "the part lies within")
        for k in 0..<c {
            for y in 0..<h {
                for x in 0..<w { data[(k * height + top + y) * width + left + x] += part.data[(k * h + y) * w + x] }
            }
        }
    }
}
