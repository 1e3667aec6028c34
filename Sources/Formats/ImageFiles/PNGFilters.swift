// PNG filters (PNG specification, section 9): each row of bytes is stored as the difference
// from a prediction made from its left neighbour `a`, the byte above `b` and the byte above-left
// `c`, which turns smooth images into small numbers that deflate compresses well. Neighbours
// are whole pixels apart: `bpp` bytes, at least 1. A row's first byte says which filter it used.

/// The five filter types of section 9.2.
public enum PNGFilter: UInt8, CaseIterable, Sendable {
    case none = 0, sub = 1, up = 2, average = 3, paeth = 4

    /// The bytes this filter leaves for `rows`, `rowBytes` bytes each, pixels `bpp` bytes apart
    /// (every row filtered the same way): what the encoder would hand to deflate, without the
    /// filter-type byte at the start of each row.
    public func filtered(_ rows: [UInt8], rowBytes: Int, bpp: Int) -> [UInt8] {
        precondition(rowBytes > 0 && rows.count % rowBytes == 0 && bpp >= 1, "rows must be whole")
        var out = [UInt8](repeating: 0, count: rows.count)
        rows.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                for y in 0..<(rows.count / rowBytes) {
                    let row = input.baseAddress! + y * rowBytes
                    PNGFilters.filter(self, row: row, previous: y > 0 ? row - rowBytes : nil,
                                      count: rowBytes, bpp: bpp, out: output.baseAddress! + y * rowBytes)
                }
            }
        }
        return out
    }
}

enum PNGFilters {
    /// The Paeth predictor (section 9.4): whichever of a, b, c is closest to a + b - c.
    @inline(__always)
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// Undoes `filter` on `row` in place, given the previous row already unfiltered
    /// (`previous` is nil for the first row of a pass, which behaves as a row of zeros).
    static func unfilter(_ filter: PNGFilter, row: UnsafeMutablePointer<UInt8>, previous: UnsafePointer<UInt8>?,
                         count: Int, bpp: Int) {
        switch filter {
        case .none:
            break
        case .sub:
            if count > bpp { for i in bpp..<count { row[i] &+= row[i - bpp] } }
        case .up:
            guard let up = previous else { return }
            for i in 0..<count { row[i] &+= up[i] }
        case .average:
            for i in 0..<count {
                let a = i >= bpp ? Int(row[i - bpp]) : 0
                let b = previous.map { Int($0[i]) } ?? 0
                row[i] &+= UInt8((a + b) >> 1)
            }
        case .paeth:
            for i in 0..<count {
                let a = i >= bpp ? Int(row[i - bpp]) : 0
                let b = previous.map { Int($0[i]) } ?? 0
                let c = (i >= bpp ? previous.map { Int($0[i - bpp]) } : nil) ?? 0
                row[i] &+= UInt8(paeth(a, b, c))
            }
        }
    }

    /// Applies `filter` to `row` (the encoder's direction), writing into `out`.
    static func filter(_ filter: PNGFilter, row: UnsafePointer<UInt8>, previous: UnsafePointer<UInt8>?,
                       count: Int, bpp: Int, out: UnsafeMutablePointer<UInt8>) {
        for i in 0..<count {
            let a = i >= bpp ? Int(row[i - bpp]) : 0
            let b = previous.map { Int($0[i]) } ?? 0
            let c = (i >= bpp ? previous.map { Int($0[i - bpp]) } : nil) ?? 0
            let prediction: Int
            switch filter {
            case .none: prediction = 0
            case .sub: prediction = a
            case .up: prediction = b
            case .average: prediction = (a + b) >> 1
            case .paeth: prediction = paeth(a, b, c)
            }
            out[i] = row[i] &- UInt8(truncatingIfNeeded: prediction)
        }
    }

    /// The heuristic of section 12.8: the filter whose output has the smallest sum of absolute
    /// values, reading bytes as signed. It favours outputs near zero, which compress best.
    static func bestFilter(row: UnsafePointer<UInt8>, previous: UnsafePointer<UInt8>?, count: Int, bpp: Int,
                           scratch: UnsafeMutablePointer<UInt8>) -> PNGFilter {
        var best = PNGFilter.none
        var bestScore = Int.max
        for candidate in PNGFilter.allCases {
            filter(candidate, row: row, previous: previous, count: count, bpp: bpp, out: scratch)
            var score = 0
            for i in 0..<count { score += abs(Int(Int8(bitPattern: scratch[i]))) }
            if score < bestScore {
                bestScore = score
                best = candidate
            }
        }
        return best
    }
}
