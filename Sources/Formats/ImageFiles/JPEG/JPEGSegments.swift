// The marker segments of a JPEG file (ITU T.81, annex B; JFIF; Exif).
//
// A JPEG file is a sequence of markers, each a byte FF and a code: SOI starts the file, EOI
// ends it, and most others begin a segment whose next two bytes give its length (counting
// themselves). The segments this decoder reads:
//
// - SOFn, the frame header: the sample precision, the image's size, and for each component
//   (Y, Cb, Cr, or just Y for gray) its sampling factors and quantisation table. n says how
//   the data is coded: 0 baseline, 1 extended sequential, 2 progressive (all Huffman coded).
// - DQT: quantisation tables, DHT: Huffman tables, DRI: the restart interval.
// - SOS, a scan header: which components the scan holds, their Huffman tables, and for
//   progressive files the band of coefficients (Ss...Se) and the bit position (Ah, Al).
// - APP1 "Exif": the camera's orientation; APP14 "Adobe": whether colour is YCbCr.

/// One colour component of the frame, as SOF declares it.
struct JPEGComponent: Equatable, Sendable {
    var id: Int
    /// Sampling factors (1...4): how many blocks of this component one MCU holds across and down.
    var horizontalSampling: Int
    var verticalSampling: Int
    var quantisationTable: Int
    /// The component's own size in samples: the image's size scaled by its sampling factors.
    var width = 0
    var height = 0
    /// Blocks across and down in the stored (MCU-padded) grid.
    var blocksPerLine = 0
    var blockRows = 0
}

/// The frame header (T.81 section B.2.2).
struct JPEGFrame: Sendable {
    enum Coding: Sendable { case sequential, progressive }

    var coding: Coding
    var width: Int
    var height: Int
    var components: [JPEGComponent]
    var maxHorizontalSampling: Int
    var maxVerticalSampling: Int
    /// The image is covered by `mcusPerLine x mcuRows` minimum coded units of interleaved scans.
    var mcusPerLine: Int
    var mcuRows: Int

    /// Reads SOFn's fields and works out every component's size (T.81 section A.1.1).
    init(marker: UInt8, segment d: ArraySlice<UInt8>) throws {
        let name = String(format: "SOF%d", Int(marker - 0xC0))
        let b = Array(d)
        guard b.count >= 6 else { throw JPEGError.badSegment(marker: name, reason: "\(b.count) bytes, at least 6 expected") }
        let precision = Int(b[0])
        height = Int(b[1]) << 8 | Int(b[2])
        width = Int(b[3]) << 8 | Int(b[4])
        let count = Int(b[5])
        coding = marker == 0xC2 ? .progressive : .sequential
        guard precision == 8 else {
            throw JPEGError.unsupported("\(precision)-bit samples (only 8-bit JPEG is read)")
        }
        guard b.count == 6 + 3 * count else {
            throw JPEGError.badSegment(marker: name, reason: "length \(b.count) does not fit \(count) components")
        }
        guard count == 1 || count == 3 else {
            throw JPEGError.unsupported(count == 4 ? "4 components (CMYK or YCCK)" : "\(count) components (1 or 3 expected)")
        }
        guard height > 0 else { throw JPEGError.unsupported("height 0 (the height would follow in a DNL marker)") }
        guard width > 0 else { throw JPEGError.badSegment(marker: name, reason: "width 0") }
        guard ImageLimits.allows(width: width, height: height) else { throw JPEGError.dimensionsTooLarge(width: width, height: height) }
        components = []
        for i in 0..<count {
            let id = Int(b[6 + 3 * i]), h = Int(b[7 + 3 * i] >> 4), v = Int(b[7 + 3 * i] & 15), q = Int(b[8 + 3 * i])
            guard (1...4).contains(h), (1...4).contains(v) else {
                throw JPEGError.badSegment(marker: name, reason: "component \(id) has sampling factors \(h)x\(v), each must be 1 to 4")
            }
            guard q < 4 else { throw JPEGError.badSegment(marker: name, reason: "component \(id) uses quantisation table \(q), at most 3") }
            guard !components.contains(where: { $0.id == id }) else { throw JPEGError.badSegment(marker: name, reason: "component \(id) appears twice") }
            components.append(JPEGComponent(id: id, horizontalSampling: h, verticalSampling: v, quantisationTable: q))
        }
        // A single component is never interleaved: its MCU is one block whatever it declares.
        if count == 1 {
            components[0].horizontalSampling = 1
            components[0].verticalSampling = 1
        }
        maxHorizontalSampling = components.map(\.horizontalSampling).max()!
        maxVerticalSampling = components.map(\.verticalSampling).max()!
        mcusPerLine = (width + 8 * maxHorizontalSampling - 1) / (8 * maxHorizontalSampling)
        mcuRows = (height + 8 * maxVerticalSampling - 1) / (8 * maxVerticalSampling)
        for i in components.indices {
            let h = components[i].horizontalSampling, v = components[i].verticalSampling
            components[i].width = (width * h + maxHorizontalSampling - 1) / maxHorizontalSampling
            components[i].height = (height * v + maxVerticalSampling - 1) / maxVerticalSampling
            components[i].blocksPerLine = mcusPerLine * h
            components[i].blockRows = mcuRows * v
        }
    }
}

extension JPEGFrame {
    /// The MCUs a scan codes, across and down, and the blocks in each. An interleaved scan
    /// covers the frame's MCU grid, each MCU holding every component's H x V blocks; a scan of
    /// one component covers the component's own size, one block per MCU.
    func mcus(of scan: JPEGScanHeader) -> (across: Int, down: Int, blocksEach: Int) {
        if scan.components.count > 1 {
            let blocks = scan.components.reduce(0) { $0 + components[$1].horizontalSampling * components[$1].verticalSampling }
            return (mcusPerLine, mcuRows, blocks)
        }
        let only = components[scan.components[0]]
        return ((only.width + 7) / 8, (only.height + 7) / 8, 1)
    }
}

/// A scan header (T.81 section B.2.3).
struct JPEGScanHeader: Sendable {
    /// Indices into the frame's components, in the scan's order.
    var components: [Int]
    var dcTables: [Int]
    var acTables: [Int]
    /// The band of zig-zag positions this scan codes (0...63 for a sequential scan).
    var spectralStart: Int
    var spectralEnd: Int
    /// Successive approximation: the bit position of the previous scan of this band (0 for
    /// the first), and the bit position this scan codes.
    var previousBit: Int
    var bit: Int

    init(segment d: ArraySlice<UInt8>, frame: JPEGFrame) throws {
        let b = Array(d)
        guard b.count >= 1 else { throw JPEGError.badSegment(marker: "SOS", reason: "empty") }
        let count = Int(b[0])
        guard (1...4).contains(count), b.count == 4 + 2 * count else {
            throw JPEGError.badSegment(marker: "SOS", reason: "length \(b.count) does not fit \(count) components")
        }
        components = []
        dcTables = []
        acTables = []
        for i in 0..<count {
            let id = Int(b[1 + 2 * i])
            guard let index = frame.components.firstIndex(where: { $0.id == id }) else {
                throw JPEGError.badSegment(marker: "SOS", reason: "component \(id) is not in the frame")
            }
            guard !components.contains(index) else { throw JPEGError.badSegment(marker: "SOS", reason: "component \(id) appears twice") }
            components.append(index)
            dcTables.append(Int(b[2 + 2 * i] >> 4))
            acTables.append(Int(b[2 + 2 * i] & 15))
        }
        spectralStart = Int(b[1 + 2 * count])
        spectralEnd = Int(b[2 + 2 * count])
        previousBit = Int(b[3 + 2 * count] >> 4)
        bit = Int(b[3 + 2 * count] & 15)
        guard dcTables.allSatisfy({ $0 < 4 }), acTables.allSatisfy({ $0 < 4 }) else {
            throw JPEGError.badSegment(marker: "SOS", reason: "Huffman table number above 3")
        }
        // The block count of an MCU is limited to 10 (T.81 section B.2.3).
        let blocks = frame.mcus(of: self).blocksEach
        guard blocks <= 10 else { throw JPEGError.badSegment(marker: "SOS", reason: "an MCU of \(blocks) blocks, at most 10") }
        switch frame.coding {
        case .sequential:
            guard spectralStart == 0, spectralEnd == 63, previousBit == 0, bit == 0 else {
                throw JPEGError.badSegment(marker: "SOS", reason: "a sequential scan must code coefficients 0...63 at full precision")
            }
        case .progressive:
            guard spectralStart <= spectralEnd, spectralEnd <= 63, bit <= 13, previousBit <= 13 else {
                throw JPEGError.badSegment(marker: "SOS", reason: "band \(spectralStart)...\(spectralEnd), bits \(previousBit)/\(bit)")
            }
            guard (spectralStart == 0) == (spectralEnd == 0) else {
                throw JPEGError.badSegment(marker: "SOS", reason: "a progressive scan codes either the DC coefficient or AC ones, not both")
            }
            guard spectralStart == 0 || count == 1 else {
                throw JPEGError.badSegment(marker: "SOS", reason: "a progressive AC scan holds one component")
            }
            guard previousBit == 0 || previousBit == bit + 1 else {
                throw JPEGError.badSegment(marker: "SOS", reason: "a refinement scan must add one bit (Ah = Al + 1)")
            }
        }
    }
}

/// Reads DQT: one or more tables of 64 values in zig-zag order, 8 or 16 bits each (B.2.4.1).
/// Returns them by table number in natural (row-major) order.
func parseQuantisationTables(_ d: ArraySlice<UInt8>) throws -> [(number: Int, table: [UInt16])] {
    var tables: [(number: Int, table: [UInt16])] = []
    var p = d.startIndex
    while p < d.endIndex {
        let precision = Int(d[p] >> 4), number = Int(d[p] & 15)
        guard precision <= 1, number < 4 else {
            throw JPEGError.badSegment(marker: "DQT", reason: "table \(number) with precision field \(precision)")
        }
        let size = precision == 0 ? 64 : 128
        guard d.endIndex - (p + 1) >= size else { throw JPEGError.badSegment(marker: "DQT", reason: "table \(number) is cut short") }
        var table = [UInt16](repeating: 0, count: 64)
        for k in 0..<64 {
            let value = precision == 0 ? UInt16(d[p + 1 + k]) : UInt16(d[p + 1 + 2 * k]) << 8 | UInt16(d[p + 2 + 2 * k])
            guard value > 0 else { throw JPEGError.badSegment(marker: "DQT", reason: "table \(number) holds a zero step") }
            table[ZigZag.naturalIndex[k]] = value
        }
        tables.append((number, table))
        p += 1 + size
    }
    return tables
}

/// Reads DHT: one or more Huffman tables (B.2.4.2). The class is 0 for DC, 1 for AC.
func parseHuffmanTables(_ d: ArraySlice<UInt8>) throws -> [(isAC: Bool, number: Int, table: JPEGHuffmanTable)] {
    var tables: [(isAC: Bool, number: Int, table: JPEGHuffmanTable)] = []
    var p = d.startIndex
    while p < d.endIndex {
        guard d.endIndex - p >= 17 else { throw JPEGError.badSegment(marker: "DHT", reason: "a table's code counts are cut short") }
        let tableClass = Int(d[p] >> 4), number = Int(d[p] & 15)
        guard tableClass <= 1, number < 4 else {
            throw JPEGError.badSegment(marker: "DHT", reason: "table class \(tableClass), number \(number)")
        }
        let counts = (0..<16).map { Int(d[p + 1 + $0]) }
        let total = counts.reduce(0, +)
        guard d.endIndex - (p + 17) >= total else { throw JPEGError.badSegment(marker: "DHT", reason: "the table's symbols are cut short") }
        let symbols = Array(d[(p + 17)..<(p + 17 + total)])
        tables.append((tableClass == 1, number, try JPEGHuffmanTable(counts: counts, symbols: symbols)))
        p += 17 + total
    }
    return tables
}
