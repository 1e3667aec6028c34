import Parallel
import Kernels

// The fast twin of chapter 12's reflection padding (ReflectionPadding.swift), on channels-last
// maps: rows shared out over the cores, each row's C channels copied as one block. The backward
// pass gathers, for each input position, the gradients of the padded positions that show it,
// always in the same order, so the sums do not depend on how the rows are shared out.

/// The input index (0..<size) that padded index `i` (-padding..<size + padding) shows.
@inline(__always)
func reflectedIndex(_ i: Int, size: Int) -> Int { i < 0 ? -i : (i >= size ? 2 * (size - 1) - i : i) }

/// For each input index, the padded indices that show it, in increasing order.
func reflectionSources(size: Int, padding: Int) -> [[Int]] {
    var sources = [[Int]](repeating: [], count: size)
    for padded in 0..<(size + 2 * padding) { sources[reflectedIndex(padded - padding, size: size)].append(padded) }
    return sources
}

/// (H, W, C) -> (H + 2p, W + 2p, C), the border mirrored.
public func reflectionPadded(_ input: ChannelsLastMaps, padding p: Int) -> ChannelsLastMaps {
    let (height, width, c) = (input.height, input.width, input.channels)
    precondition(p < height && p < width, "a reflection needs more rows and columns than the padding")
    let (paddedHeight, paddedWidth) = (height + 2 * p, width + 2 * p)
    var output = ChannelsLastMaps(uninitializedHeight: paddedHeight, width: paddedWidth, channels: c)
    input.data.withUnsafeBufferPointer { x in
        output.data.withUnsafeMutableBufferPointer { out in
            let pieces = parallelPieces(paddedHeight, perThread: 4)
            parallelFor(pieces) { piece in
                for py in (paddedHeight * piece / pieces)..<(paddedHeight * (piece + 1) / pieces) {
                    let y = reflectedIndex(py - p, size: height)
                    for px in 0..<paddedWidth {
                        let source = (y * width + reflectedIndex(px - p, size: width)) * c, destination = (py * paddedWidth + px) * c
                        for k in 0..<c { out[destination + k] = x[source + k] }
                    }
                }
            }
        }
    }
    return output
}

/// dL/dInput from dL/dPadded: each input position gathers its reflections' gradients.
public func reflectionPadBackward(_ dPadded: ChannelsLastMaps, padding p: Int, height: Int, width: Int) -> ChannelsLastMaps {
    let c = dPadded.channels
    let (rows, columns) = (reflectionSources(size: height, padding: p), reflectionSources(size: width, padding: p))
    var dInput = ChannelsLastMaps(height: height, width: width, channels: c)
    dPadded.data.withUnsafeBufferPointer { d in
        dInput.data.withUnsafeMutableBufferPointer { out in
            let pieces = parallelPieces(height, perThread: 4)
            parallelFor(pieces) { piece in
                for y in (height * piece / pieces)..<(height * (piece + 1) / pieces) {
                    for x in 0..<width {
                        let destination = (y * width + x) * c
                        for py in rows[y] {
                            for px in columns[x] {
                                let source = (py * dPadded.width + px) * c
                                for k in 0..<c { out[destination + k] += d[source + k] }
                            }
                        }
                    }
                }
            }
        }
    }
    return dInput
}
