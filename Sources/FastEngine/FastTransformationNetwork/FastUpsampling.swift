import Parallel
import Kernels

// The fast twins of chapter 12's upsampling (Upsampling.swift) and scaled tanh (ScaledTanh.swift)
// on channels-last maps, rows shared out over the cores.

/// (H, W, C) -> (2H, 2W, C): each position repeated over a 2x2 block.
public func upsampled(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
    let (height, width, c) = (2 * input.height, 2 * input.width, input.channels)
    var output = ChannelsLastMaps(uninitializedHeight: height, width: width, channels: c)
    input.data.withUnsafeBufferPointer { x in
        output.data.withUnsafeMutableBufferPointer { out in
            let pieces = parallelPieces(height, perThread: 4)
            parallelFor(pieces) { piece in
                for y in (height * piece / pieces)..<(height * (piece + 1) / pieces) {
                    for x0 in 0..<width {
                        let source = ((y / 2) * input.width + x0 / 2) * c, destination = (y * width + x0) * c
                        for k in 0..<c { out[destination + k] = x[source + k] }
                    }
                }
            }
        }
    }
    return output
}

/// dL/dInput of `upsampled`: each position gathers its block's four gradients, in order.
public func upsampleBackward(_ dOutput: ChannelsLastMaps) -> ChannelsLastMaps {
    let (height, width, c) = (dOutput.height / 2, dOutput.width / 2, dOutput.channels)
    var dInput = ChannelsLastMaps(uninitializedHeight: height, width: width, channels: c)
    dOutput.data.withUnsafeBufferPointer { d in
        dInput.data.withUnsafeMutableBufferPointer { out in
            let pieces = parallelPieces(height, perThread: 4)
            parallelFor(pieces) { piece in
                for y in (height * piece / pieces)..<(height * (piece + 1) / pieces) {
                    for x in 0..<width {
                        let destination = (y * width + x) * c
                        for k in 0..<c {
                            var sum: Float = 0
                            for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] { sum += d[((2 * y + dy) * dOutput.width + 2 * x + dx) * c + k] }
                            out[destination + k] = sum
                        }
                    }
                }
            }
        }
    }
    return dInput
}

/// (H, W, C) -> (H + 2, W + 2, C), the border a copy of the edge: the map whose upsampling,
/// reflection-padded by one, is the upsampled map reflection-padded by one (the mirror of an
/// upsampled map's first row is its second, a copy of the map's first).
public func edgePadded(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
    let (height, width, c) = (input.height, input.width, input.channels)
    var output = ChannelsLastMaps(uninitializedHeight: height + 2, width: width + 2, channels: c)
    input.data.withUnsafeBufferPointer { x in
        output.data.withUnsafeMutableBufferPointer { out in
            for py in 0..<(height + 2) {
                let y = min(max(py - 1, 0), height - 1)
                for px in 0..<(width + 2) {
                    let source = (y * width + min(max(px - 1, 0), width - 1)) * c, destination = (py * (width + 2) + px) * c
                    for k in 0..<c { out[destination + k] = x[source + k] }
                }
            }
        }
    }
    return output
}
