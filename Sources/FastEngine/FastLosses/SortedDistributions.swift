import Parallel
import Kernels
import StyleDistribution

// What both of chapter 8b's fast terms do with values: sort them row by row (a row for each
// direction or channel) with the radix sort, the picture's to pair them with their targets and a
// style's to make those targets, and read the styles' merged distributions at a picture's number
// of positions (the chapter's `WeightedValues`, Quantiles.swift).

/// Row by row, the styles' sorted values (each style `rows` sorted rows of its own length)
/// merged with their blend weights and read at `positions` quantiles (rows x positions): the
/// targets of both distribution terms, a row for each direction or channel.
func blendedQuantiles(_ sortedRows: [[Float]], blend: [Float], rows: Int, positions: Int) -> [Float] {
    var out = uninitializedFloats(rows * positions)
    let pieces = parallelPieces(rows, perThread: 4)
    out.withUnsafeMutableBufferPointer { out in
        let out = out
        parallelFor(pieces) { piece in
            for r in (rows * piece / pieces)..<(rows * (piece + 1) / pieces) {
                let samples = zip(sortedRows, blend).map { sorted, weight in
                    let m = sorted.count / rows
                    return (sorted: Array(sorted[(r * m)..<((r + 1) * m)]), weight: weight)
                }
                let row = WeightedValues(merging: samples).quantiles(count: positions)
                for k in 0..<positions { out[r * positions + k] = row[k] }
            }
        }
    }
    return out
}

/// Sorts each of `rows` rows of `columns` values (row-major) with the radix sort, the rows shared
/// out over the threads, and hands `body` each row's number, its values and its order (`order[k]`
/// the position of the row's k-th smallest value). `body` writes only what belongs to its row.
func forEachSortedRow(_ values: [Float], rows: Int, columns: Int, settingZerosAside: Bool = false,
                      _ body: (_ row: Int, _ values: UnsafePointer<Float>, _ order: UnsafePointer<UInt32>) -> Void) {
    let pieces = parallelPieces(rows, perThread: 4)
    values.withUnsafeBufferPointer { v in
        let v = v
        RadixSortScratch.shared.withBuffers(pieces: pieces, capacity: columns) { scratch in parallelFor(pieces) { piece in
            let (buffers, order) = scratch[piece]
            for r in (rows * piece / pieces)..<(rows * (piece + 1) / pieces) {
                let row = v.baseAddress! + r * columns
                radixSortingOrder(row, count: columns, buffers: buffers, order: order, settingZerosAside: settingZerosAside)
                body(r, row, order)
            }
        } }
    }
}

/// Each of `rows` rows of `columns` values, sorted.
func sortedRows(_ values: [Float], rows: Int, columns: Int) -> [Float] {
    var sorted = uninitializedFloats(values.count)
    sorted.withUnsafeMutableBufferPointer { s in
        let s = s
        forEachSortedRow(values, rows: rows, columns: columns) { r, row, order in
            for i in 0..<columns { s[r * columns + i] = row[Int(order[i])] }
        }
    }
    return sorted
}
