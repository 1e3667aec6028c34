// Building Huffman codes for the compressor: from symbol frequencies to code lengths no longer
// than deflate allows (15 bits for literals/lengths and distances, 7 for the code-length code),
// then to the canonical codes of RFC 1951 section 3.2.2.

enum HuffmanCodeBuilder {
    /// Optimal prefix-code lengths for `frequencies` (Huffman's algorithm), at most `limit` bits.
    ///
    /// If the optimal code is too deep, the frequencies are flattened (halved, keeping every
    /// used symbol at least 1) and the code rebuilt: a simple way to respect the limit that
    /// costs a fraction of a percent on the rare blocks that need it.
    static func lengths(frequencies: [Int], limit: Int) -> [Int] {
        var weights = frequencies
        while true {
            let lengths = unlimitedLengths(weights)
            if (lengths.max() ?? 0) <= limit { return lengths }
            weights = weights.map { $0 == 0 ? 0 : ($0 + 1) / 2 }
        }
    }

    /// Huffman's algorithm with two queues: leaves sorted by weight, and merged nodes, which are
    /// created in non-decreasing weight order, so the two lightest are always at the fronts.
    static func unlimitedLengths(_ weights: [Int]) -> [Int] {
        var lengths = [Int](repeating: 0, count: weights.count)
        let used = weights.indices.filter { weights[$0] > 0 }.sorted { (weights[$0], $0) < (weights[$1], $1) }
        if used.isEmpty { return lengths }
        if used.count == 1 { lengths[used[0]] = 1; return lengths }

        // Nodes 0..<used.count are leaves; later ones are merged. parent[] lets us find depths.
        var weight = used.map { weights[$0] }
        var parent = [Int](repeating: -1, count: 2 * used.count - 1)
        var leafFront = 0
        var mergedFront = used.count
        func takeLightest() -> Int {
            if leafFront < used.count && (mergedFront >= weight.count || weight[leafFront] <= weight[mergedFront]) {
                leafFront += 1
                return leafFront - 1
            }
            mergedFront += 1
            return mergedFront - 1
        }
        for _ in 0..<(used.count - 1) {
            let a = takeLightest(), b = takeLightest()
            weight.append(weight[a] + weight[b])
            parent[a] = weight.count - 1
            parent[b] = weight.count - 1
        }
        // Depth of each node: the root is last; parents always come after their children.
        var depth = [Int](repeating: 0, count: weight.count)
        for node in stride(from: weight.count - 2, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
        for (leaf, symbol) in used.enumerated() { lengths[symbol] = depth[leaf] }
        return lengths
    }

    /// Canonical codes for the given lengths (RFC 1951 section 3.2.2), already bit-reversed,
    /// since the bit writer emits least significant bit first but codes go most significant first.
    static func reversedCodes(lengths: [Int]) -> [UInt32] {
        var count = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { count[length] += 1 }
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + count[length - 1]) << 1
            nextCode[length] = code
        }
        return lengths.map { length in
            guard length > 0 else { return 0 }
            defer { nextCode[length] += 1 }
            return UInt32(reverseBits(nextCode[length], length))
        }
    }
}

/// The low `count` bits of `value` in reverse order.
@inline(__always)
func reverseBits(_ value: Int, _ count: Int) -> Int {
    var result = 0
    var v = value
    for _ in 0..<count {
        result = (result << 1) | (v & 1)
        v >>= 1
    }
    return result
}
