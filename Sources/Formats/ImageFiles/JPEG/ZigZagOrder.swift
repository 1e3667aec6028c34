// The zig-zag order (ITU T.81, figure A.6).
//
// A block's 64 DCT coefficients are stored from the lowest frequency to the highest by walking
// the 8x8 grid in diagonals, alternately up and down:
//
//     0  1  5  6 14 15 27 28
//     2  4  7 13 16 26 29 42
//     3  8 12 17 25 30 41 43
//     ...
//
// Quantisation leaves most high frequencies at zero, so this order puts the zeros together at
// the end of the list, where a single end-of-block code covers them.

enum ZigZag {
    /// `naturalIndex[k]` is where the k-th coefficient in zig-zag order lies in the row-major
    /// 8x8 block (row * 8 + column).
    static let naturalIndex: [Int] = {
        var order: [Int] = []
        for diagonal in 0..<15 {
            // Along a diagonal row + column is constant; even diagonals run up and to the
            // right (row falling), odd ones down and to the left (row rising).
            let rows = max(0, diagonal - 7)...min(7, diagonal)
            let ordered = diagonal % 2 == 0 ? Array(rows.reversed()) : Array(rows)
            for row in ordered { order.append(row * 8 + diagonal - row) }
        }
        return order
    }()
}
