// The quantised DCT coefficients of one component, as the scans decode them.
//
// 64 coefficients a block in natural (row-major) order, blocks row by row over the component's
// MCU-padded grid. A progressive file adds to them scan after scan; only when every scan is
// in do they go through the inverse DCT.
//
// They live in memory allocated once for the whole image, and the scan decoder writes a block
// through a pointer: the block's place is checked against the allocation once per block
// (`block(_:)`), and every position inside it comes from the zig-zag table after the decoder
// has checked it is below 64.

final class ComponentCoefficients: @unchecked Sendable {
    let blocksPerLine: Int
    let blockRows: Int
    let values: UnsafeMutableBufferPointer<Int16>

    /// All zero: a coefficient no scan sets stays zero.
    init(blocksPerLine: Int, blockRows: Int) {
        self.blocksPerLine = blocksPerLine
        self.blockRows = blockRows
        values = .allocate(capacity: blocksPerLine * blockRows * 64)
        values.initialize(repeating: 0)
    }

    deinit { values.deallocate() }

    /// The 64 coefficients of block `index` (row * blocksPerLine + column).
    @inline(__always)
    func block(_ index: Int) -> UnsafeMutablePointer<Int16> {
        precondition(index >= 0 && index < blocksPerLine * blockRows, "block outside the component")
        return values.baseAddress! + index * 64
    }
}
