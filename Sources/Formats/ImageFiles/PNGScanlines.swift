// Rebuilding the image from its scanlines as the inflater produces them.
//
// The inflated image data is a run of rows, pass by pass (one pass unless interlaced), each a
// filter-type byte and the row's filtered bytes (section 7.3). A row can be unfiltered as soon as
// it is complete, since a filter looks only at the row itself and the one above (section 9).
// So the decoder never holds the inflated data: it holds two rows, and the samples.

/// Collects inflated bytes into rows, unfilters each against the row above and puts its samples
/// at their pixels: the stored samples (palette indices, sub-8-bit values as they are),
/// `samplesPerPixel` per pixel.
struct PNGScanlines {
    let header: PNGHeader
    let passes: [InterlacePass]
    private(set) var samples: [UInt16]
    /// The current row and the one above it, side by side, `rowStride` bytes apart (a full-width
    /// row with its filter byte).
    var rows: [UInt8]
    let rowStride: Int
    var current = 0, above = 1
    /// Where we are: the pass, the row within it, how many bytes of the row have arrived.
    var pass = 0, rowInPass = 0, filled = 0
    var rowNumber = 0
    /// Bytes received in all.
    private(set) var received = 0

    init(header: PNGHeader) {
        self.header = header
        passes = header.interlaced ? InterlacePass.adam7 : InterlacePass.whole
        samples = [UInt16](repeating: 0, count: header.width * header.height * header.samplesPerPixel)
        rowStride = header.rowBytes(width: header.width) + 1
        rows = [UInt8](repeating: 0, count: 2 * rowStride)
        skipEmptyPasses()
    }

    /// Whether every row of every pass has arrived.
    var isComplete: Bool { pass == passes.count }

    /// The current pass's size: rows of `width` pixels, `rowBytes` bytes after the filter byte.
    var passSize: (width: Int, height: Int) { passes[pass].size(width: header.width, height: header.height) }

    mutating func skipEmptyPasses() {
        while pass < passes.count && (passSize.width == 0 || passSize.height == 0) { pass += 1 }
    }

    /// Takes the next inflated bytes; every row they complete goes into the image at once.
    mutating func take(_ piece: UnsafeBufferPointer<UInt8>) throws {
        var i = 0
        while i < piece.count && !isComplete {
            let length = header.rowBytes(width: passSize.width) + 1
            let n = min(length - filled, piece.count - i)
            rows.withUnsafeMutableBufferPointer { rows in
                (rows.baseAddress! + current * rowStride + filled).update(from: piece.baseAddress! + i, count: n)
            }
            filled += n
            i += n
            received += n
            if filled == length { try finishRow() }
        }
        received += piece.count - i   // more than the image needs (the inflater's limit stops it first)
    }

    /// Unfilters the complete current row and stores its samples.
    mutating func finishRow() throws {
        let (w, h) = passSize
        let rowBytes = header.rowBytes(width: w)
        let p = passes[pass]
        let imageY = p.yStart + rowInPass * p.yStep
        let spp = header.samplesPerPixel
        let width = header.width
        let (current, above, firstRow, stride) = (self.current, self.above, rowInPass == 0, rowStride)
        try rows.withUnsafeMutableBufferPointer { rows in
            let row = rows.baseAddress! + current * stride
            guard let filter = PNGFilter(rawValue: row[0]) else { throw PNGError.badFilterType(Int(row[0]), row: rowNumber) }
            let previous = firstRow ? nil : UnsafePointer(rows.baseAddress! + above * stride + 1)
            PNGFilters.unfilter(filter, row: row + 1, previous: previous, count: rowBytes, bpp: header.filterStride)
            samples.withUnsafeMutableBufferPointer { samples in
                PNGDecoder.unpackRow(row + 1, count: w * spp, bitDepth: header.bitDepth) { i, value in
                    let x = p.xStart + (i / spp) * p.xStep
                    samples[(imageY * width + x) * spp + i % spp] = value
                }
            }
        }
        swap(&self.current, &self.above)
        filled = 0
        rowNumber += 1
        rowInPass += 1
        if rowInPass == h {
            rowInPass = 0
            pass += 1
            skipEmptyPasses()
        }
    }
}
