import Foundation

// The sort behind chapter 8b's distribution terms, in linear time. The chapter sorts with Swift's
// comparison sort (`sortingOrder` in Quantiles.swift: by value, equal values by position), which
// costs n log n comparisons; a 512-pixel picture's evaluation sorts about thirty million
// projections. A least-significant-digit radix sort costs a few passes over the data instead:
//
//  - each Float becomes a UInt32 key that orders as the floats do: a positive float's bits
//    already order as integers once the sign bit is set; a negative float's order backwards, so
//    all its bits are flipped. -0 and +0 get the same key, as they compare equal.
//  - the keys are sorted by 11 bits at a time, lowest first (three passes cover 32 bits), each
//    pass a counting sort: count each digit, turn the counts into starting places, move every
//    key (and its position) to its place. A counting sort keeps equal digits in the order they
//    came, so after the last pass equal keys are in position order: the chapter's order exactly.

/// The key of a float that orders as the float does (not NaN): -0 and +0 alike.
@inline(__always) public func orderedKey(_ value: Float) -> UInt32 {
    let bits = value == 0 ? 0 : value.bitPattern
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
}

/// Scratch space for sorting up to `capacity` values: two sets of keys and positions.
public final class RadixSortBuffers: @unchecked Sendable {
    public let capacity: Int
    let keys: UnsafeMutablePointer<UInt32>, otherKeys: UnsafeMutablePointer<UInt32>
    let positions: UnsafeMutablePointer<UInt32>, otherPositions: UnsafeMutablePointer<UInt32>

    public init(capacity: Int) {
        precondition(capacity < Int(UInt32.max), "positions fit in 32 bits")
        self.capacity = capacity
        keys = .allocate(capacity: max(capacity, 1))
        otherKeys = .allocate(capacity: max(capacity, 1))
        positions = .allocate(capacity: max(capacity, 1))
        otherPositions = .allocate(capacity: max(capacity, 1))
    }

    deinit {
        keys.deallocate(); otherKeys.deallocate(); positions.deallocate(); otherPositions.deallocate()
    }
}

/// Scratch for the sorts of one parallel loop, kept between loops: piece n of a loop sorts in
/// the n-th buffers, made or enlarged on first use. Memory a sort got afresh each time would cost
/// a page fault per 4 KB touched, about as much as the sort itself. One loop uses the scratch at
/// a time (`withBuffers` holds it for the loop's length), so no two pieces ever share buffers.
public final class RadixSortScratch: @unchecked Sendable {
    private var buffers: [(sort: RadixSortBuffers, order: UnsafeMutablePointer<UInt32>)] = []
    private let lock = NSLock()

    public init() {}

    /// Runs `body` with buffers for `pieces` pieces of up to `capacity` values each.
    public func withBuffers<R>(pieces: Int, capacity: Int, _ body: ([(sort: RadixSortBuffers, order: UnsafeMutablePointer<UInt32>)]) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        for piece in 0..<pieces {
            if piece < buffers.count && buffers[piece].sort.capacity >= capacity { continue }
            let made = (sort: RadixSortBuffers(capacity: capacity), order: UnsafeMutablePointer<UInt32>.allocate(capacity: max(capacity, 1)))
            if piece < buffers.count {
                buffers[piece].order.deallocate()
                buffers[piece] = made
            } else {
                buffers.append(made)
            }
        }
        return body(Array(buffers.prefix(pieces)))
    }

    deinit { for piece in buffers { piece.order.deallocate() } }

    /// The scratch the distribution terms share.
    public static let shared = RadixSortScratch()
}

/// The positions of `count` values, read at `values[i * stride]`, in increasing order of value
/// (equal values by position): `order[k]` is the position of the k-th smallest.
public func radixSortingOrder(_ values: UnsafePointer<Float>, stride: Int = 1, count: Int, buffers: RadixSortBuffers,
                              order: UnsafeMutablePointer<UInt32>) {
    precondition(count <= buffers.capacity, "buffers for \(count) values")
    guard count > 0 else { return }
    let digitBits = 11, buckets = 1 << digitBits, mask = UInt32(buckets - 1)
    var counts = [Int](repeating: 0, count: 3 * buckets)
    var keys = buffers.keys, otherKeys = buffers.otherKeys
    var positions = buffers.positions, otherPositions = buffers.otherPositions
    counts.withUnsafeMutableBufferPointer { counts in
        // The keys, and every pass's digit counts, in one read.
        for i in 0..<count {
            let key = orderedKey(values[i * stride])
            keys[i] = key
            positions[i] = UInt32(i)
            counts[Int(key & mask)] += 1
            counts[buckets + Int((key >> 11) & mask)] += 1
            counts[2 * buckets + Int(key >> 22)] += 1
        }
        for pass in 0..<3 {
            let shift = UInt32(pass * digitBits), base = pass * buckets
            // A pass whose digit is the same for every key moves nothing.
            if counts[base + Int((keys[0] >> shift) & mask)] == count { continue }
            var start = 0
            for digit in 0..<buckets {
                let n = counts[base + digit]
                counts[base + digit] = start
                start += n
            }
            for i in 0..<count {
                let key = keys[i], digit = base + Int((key >> shift) & mask)
                let place = counts[digit]
                counts[digit] = place + 1
                otherKeys[place] = key
                otherPositions[place] = positions[i]
            }
            swap(&keys, &otherKeys)
            swap(&positions, &otherPositions)
        }
    }
    order.update(from: positions, count: count)
}
