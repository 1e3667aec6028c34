// Decoding one scan's Huffman-coded data into DCT coefficients (ITU T.81, annexes F and G).
//
// A sequential scan codes every coefficient of a block at once (F.2.2): the DC coefficient as
// the difference from the previous block's, then the 63 AC coefficients in zig-zag order as
// (run of zeros, size) symbols, each followed by `size` bits of value, until an end-of-block.
//
// A progressive file spreads a block over several scans (G.1.2): first the DC coefficients of
// every block, then bands of AC coefficients (say 1...5, then 6...63), each first without
// its lowest bits and later refined a bit at a time. Between them the picture sharpens. Four
// kinds of scan do it:
//  - DC first: the DC difference, shifted left by Al (the bits not yet sent);
//  - DC refinement: one more bit of every DC coefficient;
//  - AC first: a band of AC coefficients shifted by Al, where one "end-of-band run" can skip
//    many blocks at once (most high-frequency bands are empty);
//  - AC refinement: one more bit of the coefficients already nonzero, and the coefficients
//    that become nonzero at this bit (always +1 or -1 times 2^Al).
//
// An interleaved scan (several components) codes MCUs: each component's H x V blocks in turn.
// A scan of one component codes its blocks one at a time, row by row, covering just the
// component's own size. Every `restartInterval` MCUs the coder starts afresh after an RST marker.

struct JPEGScanDecoder {
    enum Kind { case sequential, dcFirst, dcRefine, acFirst, acRefine }

    let frame: JPEGFrame
    let scan: JPEGScanHeader
    let number: Int
    let kind: Kind
    /// The tables themselves (kept alive here) and the views the blocks are decoded with.
    let tables: [JPEGHuffmanTable]
    let dcTables: [JPEGHuffmanTable.Lookup]
    let acTables: [JPEGHuffmanTable.Lookup]
    /// The coefficients of the scan's components.
    let coefficients: [ComponentCoefficients]
    private var predictions: [Int]
    private var endOfBandRun = 0
    private let zigZag = ZigZag.naturalIndex

    init(frame: JPEGFrame, scan: JPEGScanHeader, number: Int, dcTables: [JPEGHuffmanTable?], acTables: [JPEGHuffmanTable?],
         coefficients: [ComponentCoefficients]) throws {
        self.frame = frame
        self.scan = scan
        self.number = number
        switch (frame.coding, scan.spectralStart == 0, scan.previousBit == 0) {
        case (.sequential, _, _): kind = .sequential
        case (.progressive, true, true): kind = .dcFirst
        case (.progressive, true, false): kind = .dcRefine
        case (.progressive, false, true): kind = .acFirst
        case (.progressive, false, false): kind = .acRefine
        }
        // Only the tables this kind of scan uses must be defined.
        let needsDC = kind == .sequential || kind == .dcFirst
        let needsAC = kind == .sequential || kind == .acFirst || kind == .acRefine
        var dc: [JPEGHuffmanTable] = [], ac: [JPEGHuffmanTable] = []
        for i in scan.components.indices {
            if needsDC {
                guard let table = dcTables[scan.dcTables[i]] else {
                    throw JPEGError.badSegment(marker: "SOS", reason: "scan \(number) uses DC Huffman table \(scan.dcTables[i]), which no DHT defined")
                }
                dc.append(table)
            }
            if needsAC {
                guard let table = acTables[scan.acTables[i]] else {
                    throw JPEGError.badSegment(marker: "SOS", reason: "scan \(number) uses AC Huffman table \(scan.acTables[i]), which no DHT defined")
                }
                ac.append(table)
            }
        }
        self.tables = dc + ac
        self.dcTables = dc.map(\.view)
        self.acTables = ac.map(\.view)
        self.coefficients = coefficients
        predictions = [Int](repeating: 0, count: scan.components.count)
    }

    /// Decodes every MCU of the scan from `data`, starting afresh at each restart marker.
    mutating func decode(_ data: EntropyCodedData, restartInterval: Int) throws {
        let interleaved = scan.components.count > 1
        let only = frame.components[scan.components[0]]
        let (mcusAcross, mcusDown, _) = frame.mcus(of: scan)
        let mcuCount = mcusAcross * mcusDown
        var interval = 0
        var reader = JPEGBitReader(data, interval: 0)
        for mcu in 0..<mcuCount {
            if restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0 {
                if reader.isOverrun { throw JPEGError.truncatedScan(scan: number) }
                interval += 1
                guard interval < data.intervals.count else {
                    throw data.reachedEndOfFile ? JPEGError.truncatedScan(scan: number)
                        : JPEGError.corruptData(scan: number, reason: "restart marker \(interval - 1) is missing")
                }
                guard data.restartNumbers[interval - 1] == (interval - 1) % 8 else {
                    throw JPEGError.corruptData(scan: number, reason: "restart marker RST\(data.restartNumbers[interval - 1]) where RST\((interval - 1) % 8) belongs")
                }
                reader = JPEGBitReader(data, interval: interval)
                for i in predictions.indices { predictions[i] = 0 }
                endOfBandRun = 0
            }
            let mcuX = mcu % mcusAcross, mcuY = mcu / mcusAcross
            do {
                if interleaved {
                    for i in scan.components.indices {
                        let component = frame.components[scan.components[i]]
                        for v in 0..<component.verticalSampling {
                            for h in 0..<component.horizontalSampling {
                                let block = (mcuY * component.verticalSampling + v) * component.blocksPerLine + mcuX * component.horizontalSampling + h
                                try decodeBlock(&reader, scanComponent: i, block: coefficients[i].block(block))
                            }
                        }
                    }
                } else {
                    try decodeBlock(&reader, scanComponent: 0, block: coefficients[0].block(mcuY * only.blocksPerLine + mcuX))
                }
            } catch let error as JPEGError {
                // Zeros read past the end can look like any error; the cause is the truncation.
                throw reader.isOverrun ? JPEGError.truncatedScan(scan: number) : error
            }
        }
        if reader.isOverrun { throw JPEGError.truncatedScan(scan: number) }
    }

    @inline(__always)
    private mutating func decodeBlock(_ reader: inout JPEGBitReader, scanComponent i: Int, block: UnsafeMutablePointer<Int16>) throws {
        do {
            switch kind {
            case .sequential:
                try Self.decodeSequential(&reader, dc: dcTables[i], ac: acTables[i], prediction: &predictions[i],
                                          block: block, zigZag: zigZag)
            case .dcFirst:
                try Self.decodeDCFirst(&reader, dc: dcTables[i], prediction: &predictions[i], block: block, bit: scan.bit)
            case .dcRefine:
                if reader.bit() == 1 { block[0] |= Int16(truncatingIfNeeded: 1 << scan.bit) }
            case .acFirst:
                try Self.decodeACFirst(&reader, ac: acTables[i], run: &endOfBandRun, block: block,
                                       band: scan.spectralStart...scan.spectralEnd, bit: scan.bit, zigZag: zigZag)
            case .acRefine:
                try Self.decodeACRefine(&reader, ac: acTables[i], run: &endOfBandRun, block: block,
                                        band: scan.spectralStart...scan.spectralEnd, bit: scan.bit, zigZag: zigZag)
            }
        } catch let error as BlockError {
            throw JPEGError.corruptData(scan: number, reason: error.reason)
        }
    }

    /// What is wrong inside one block's codes; the scan adds its number.
    struct BlockError: Error { var reason: String }

    /// The DC difference: a size (0...11) from the DC table, then that many bits, added to the
    /// previous block's DC coefficient (the prediction).
    @inline(__always)
    private static func decodeDC(_ reader: inout JPEGBitReader, _ table: JPEGHuffmanTable.Lookup, _ prediction: inout Int) throws -> Int {
        guard let size = reader.decode(table) else { throw BlockError(reason: "a bit string that is no DC code") }
        guard size <= 11 else { throw BlockError(reason: "a DC difference of \(size) bits (at most 11)") }
        prediction += reader.receiveExtend(size)
        return prediction
    }

    /// A whole block of a sequential scan (T.81 sections F.2.2.1 and F.2.2.2).
    @inline(__always)
    private static func decodeSequential(_ reader: inout JPEGBitReader, dc: JPEGHuffmanTable.Lookup, ac: JPEGHuffmanTable.Lookup, prediction: inout Int,
                                         block: UnsafeMutablePointer<Int16>, zigZag: [Int]) throws {
        block[0] = Int16(truncatingIfNeeded: try decodeDC(&reader, dc, &prediction))
        var k = 1
        while k < 64 {
            if let (run, value) = reader.decodeSmallCoefficient(ac) {
                k += run
                guard k < 64 else { throw BlockError(reason: "a run of zeros past the end of the block") }
                block[zigZag[k]] = value
                k += 1
                continue
            }
            guard let symbol = reader.decode(ac) else { throw BlockError(reason: "a bit string that is no AC code") }
            let run = symbol >> 4, size = symbol & 15
            if size == 0 {
                if run != 15 { break }  // end of block: the rest are zeros
                k += 16                 // ZRL: sixteen zeros
                continue
            }
            k += run
            guard k < 64 else { throw BlockError(reason: "a run of zeros past the end of the block") }
            block[zigZag[k]] = Int16(truncatingIfNeeded: reader.receiveExtend(size))
            k += 1
        }
    }

    /// The first scan of the DC coefficients (G.1.2.1): the difference, scaled by 2^Al.
    private static func decodeDCFirst(_ reader: inout JPEGBitReader, dc: JPEGHuffmanTable.Lookup, prediction: inout Int,
                                      block: UnsafeMutablePointer<Int16>, bit: Int) throws {
        block[0] = Int16(truncatingIfNeeded: try decodeDC(&reader, dc, &prediction) << bit)
    }

    /// The first scan of an AC band (G.1.2.2): as in a sequential block, but within Ss...Se,
    /// scaled by 2^Al, and with end-of-band runs: symbol (r, 0) for r < 15 ends this band in
    /// this block and the next 2^r - 1 + (r more bits) blocks.
    private static func decodeACFirst(_ reader: inout JPEGBitReader, ac: JPEGHuffmanTable.Lookup, run: inout Int, block: UnsafeMutablePointer<Int16>,
                                      band: ClosedRange<Int>, bit: Int, zigZag: [Int]) throws {
        if run > 0 {
            run -= 1
            return
        }
        var k = band.lowerBound
        while k <= band.upperBound {
            guard let symbol = reader.decode(ac) else { throw BlockError(reason: "a bit string that is no AC code") }
            let r = symbol >> 4, size = symbol & 15
            if size == 0 {
                if r != 15 {
                    run = (1 << r) - 1 + reader.bits(r)
                    return
                }
                k += 16
                continue
            }
            k += r
            guard k <= band.upperBound else { throw BlockError(reason: "a run of zeros past the end of the band") }
            block[zigZag[k]] = Int16(truncatingIfNeeded: reader.receiveExtend(size) << bit)
            k += 1
        }
    }

    /// A refinement scan of an AC band (G.1.2.3). Coefficients already nonzero get one
    /// correction bit each, in order, wherever the decoder passes them; zero ones are counted
    /// by the runs, and a symbol of size 1 makes the next zero one become +-2^Al. An end-of-band
    /// run still refines the nonzero coefficients of the blocks it covers.
    private static func decodeACRefine(_ reader: inout JPEGBitReader, ac: JPEGHuffmanTable.Lookup, run: inout Int, block: UnsafeMutablePointer<Int16>,
                                       band: ClosedRange<Int>, bit: Int, zigZag: [Int]) throws {
        let plusOne = Int16(truncatingIfNeeded: 1 << bit), minusOne = Int16(truncatingIfNeeded: -1 << bit)
        /// The correction bit of a coefficient already nonzero: 1 adds 2^Al to its magnitude.
        func refine(_ z: Int, _ reader: inout JPEGBitReader) {
            if reader.bit() == 1 && block[z] & plusOne == 0 {
                block[z] = block[z] >= 0 ? block[z] &+ plusOne : block[z] &+ minusOne
            }
        }
        var k = band.lowerBound
        if run == 0 {
            while k <= band.upperBound {
                guard let symbol = reader.decode(ac) else { throw BlockError(reason: "a bit string that is no AC code") }
                var zeros = symbol >> 4
                let size = symbol & 15
                var value: Int16 = 0
                if size == 0 {
                    if zeros != 15 {
                        run = (1 << zeros) + reader.bits(zeros)
                        break
                    }
                    // ZRL: pass sixteen zero coefficients (refining the nonzero ones between).
                } else {
                    guard size == 1 else { throw BlockError(reason: "a refinement value of \(size) bits (1 expected)") }
                    value = reader.bit() == 1 ? plusOne : minusOne
                }
                while k <= band.upperBound {
                    let z = zigZag[k]
                    k += 1
                    if block[z] != 0 {
                        refine(z, &reader)
                    } else if zeros == 0 {
                        if value != 0 { block[z] = value }
                        break
                    } else {
                        zeros -= 1
                    }
                }
            }
        }
        if run > 0 {
            // The rest of the band lies in an end-of-band run: refine what is nonzero.
            while k <= band.upperBound {
                let z = zigZag[k]
                if block[z] != 0 { refine(z, &reader) }
                k += 1
            }
            run -= 1
        }
    }
}
