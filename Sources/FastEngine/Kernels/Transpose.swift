import Parallel

// A matrix transposed: the change of layout between a layer's channels-last maps (positions by
// channels) and rows of one channel or one direction each (chapter 8b's distribution terms sort
// those rows). The plain twin is `ChannelsLastMaps.tensor`, which reads the maps channel by
// channel; this one goes in blocks of 32 x 32, so that both sides are read and written a cache
// line at a time, and shares the blocks of rows out over the threads.

/// `values`, a row-major `rows` x `columns` matrix, transposed (`columns` x `rows`, row-major).
public func transposed(_ values: [Float], rows: Int, columns: Int) -> [Float] {
    precondition(values.count == rows * columns, "a \(rows) x \(columns) matrix")
    var out = uninitializedFloats(values.count)
    let block = 32, rowBlocks = (rows + block - 1) / block
    values.withUnsafeBufferPointer { v in
        out.withUnsafeMutableBufferPointer { o in
            let (v, o) = (v, o)
            let pieces = parallelPieces(rowBlocks, perThread: 4)
            parallelFor(pieces) { piece in
                for rb in (rowBlocks * piece / pieces)..<(rowBlocks * (piece + 1) / pieces) {
                    let r0 = rb * block, r1 = min(rows, r0 + block)
                    for c0 in stride(from: 0, to: columns, by: block) {
                        let c1 = min(columns, c0 + block)
                        for r in r0..<r1 { for c in c0..<c1 { o[c * rows + r] = v[r * columns + c] } }
                    }
                }
            }
        }
    }
    return out
}
