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
//    key (with its position, in one 64-bit item) to its place. A counting sort keeps equal
//    digits in the order they came, so after the last pass equal keys are in position order:
//    the chapter's order exactly.

/// The key of a float that orders as the float does (not NaN): -0 and +0 alike.
@inline(__always) public func orderedKey(_ value: Float) -> UInt32 {
    let bits = value == 0 ? 0 : value.bitPattern
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
}

/// Scratch space for sorting up to `capacity` values: two arrays of items, each a key in its
/// upper 32 bits and the value's position in its lower 32, so that a pass moves both in one write,
/// and the positions of the zeros.
public final class RadixSortBuffers: @unchecked Sendable {
    public let capacity: Int
    let items: UnsafeMutablePointer<UInt64>, otherItems: UnsafeMutablePointer<UInt64>
    let zeros: UnsafeMutablePointer<UInt32>

    public init(capacity: Int) {
        precondition(capacity < Int(UInt32.max), "positions fit in 32 bits")
        self.capacity = capacity
        items = .allocate(capacity: max(capacity, 1))
        otherItems = .allocate(capacity: max(capacity, 1))
        zeros = .allocate(capacity: max(capacity, 1))
    }

    deinit {
        items.deallocate(); otherItems.deallocate(); zeros.deallocate()
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
///
/// With `settingZerosAside`, for values taken after a ReLU (most of them exactly 0, all of one
/// key): instead of moving the zeros through every pass, their positions are noted in order, the
/// other keys are sorted, and the zeros go between the negative values and the positive. It pays
/// where half the values or more are zeros, and costs about a tenth more where there are none.
public func radixSortingOrder(_ values: UnsafePointer<Float>, stride: Int = 1, count: Int, buffers: RadixSortBuffers,
                              order: UnsafeMutablePointer<UInt32>, settingZerosAside: Bool = false) {
    precondition(count <= buffers.capacity, "buffers for \(count) values")
    guard count > 0 else { return }
    let digitBits = 11, buckets = 1 << digitBits, mask = UInt64(buckets - 1)
    let zeroKey = UInt64(orderedKey(0))
    var items = buffers.items, otherItems = buffers.otherItems
    let zeroPositions = buffers.zeros
    // The counts as 32-bit numbers (count < 2^32): the three passes' 24 KB stay in the level-1 cache.
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 3 * buckets) { counts in
        let counts = counts.baseAddress!
        counts.initialize(repeating: 0, count: 3 * buckets)
        // The items (key above, position below) and every pass's digit counts, in one read; when
        // setting zeros aside, only the other values' items and the zeros' positions apart (both
        // places written at every value and only one of them moved on: no branch to mispredict
        // on a ReLU's scattered zeros).
        var n = 0, zeros = 0, negatives = 0
        if settingZerosAside {
            for i in 0..<count {
                let key = UInt64(orderedKey(values[i * stride]))
                items[n] = key << 32 | UInt64(i)
                zeroPositions[zeros] = UInt32(i)
                let isZero = key == zeroKey
                n += isZero ? 0 : 1
                zeros += isZero ? 1 : 0
                negatives += key < zeroKey ? 1 : 0
                counts[Int(key & mask)] += 1
                counts[buckets + Int((key >> 11) & mask)] += 1
                counts[2 * buckets + Int(key >> 22)] += 1
            }
            // The zeros were counted with the others: take them out again.
            counts[Int(zeroKey & mask)] -= UInt32(zeros)
            counts[buckets + Int((zeroKey >> 11) & mask)] -= UInt32(zeros)
            counts[2 * buckets + Int(zeroKey >> 22)] -= UInt32(zeros)
        } else {
            for i in 0..<count {
                let key = UInt64(orderedKey(values[i * stride]))
                items[i] = key << 32 | UInt64(i)
                counts[Int(key & mask)] += 1
                counts[buckets + Int((key >> 11) & mask)] += 1
                counts[2 * buckets + Int(key >> 22)] += 1
            }
            n = count
        }
        defer {
            // order[0..<n] holds the other values' positions: the positive ones move up past
            // the zeros, which go in between, in position order.
            if zeros > 0 {
                memmove(order + negatives + zeros, order + negatives, (n - negatives) * MemoryLayout<UInt32>.stride)
                (order + negatives).update(from: zeroPositions, count: zeros)
            }
        }
        guard n > 0 else { return }
        // A pass whose digit is the same for every key moves nothing.
        let passes = (0..<3).filter { pass in counts[pass * buckets + Int((items[0] >> UInt64(32 + pass * digitBits)) & mask)] != UInt32(n) }
        for pass in passes {
            let shift = UInt64(32 + pass * digitBits), digitCounts = counts + pass * buckets
            var start: UInt32 = 0
            for digit in 0..<buckets {
                let m = digitCounts[digit]
                digitCounts[digit] = start
                start += m
            }
            if pass == passes.last! {
                // The last pass writes the positions alone, where the caller wants them.
                for i in 0..<n {
                    let item = items[i], digit = Int((item >> shift) & mask)
                    let place = Int(digitCounts[digit])
                    digitCounts[digit] = UInt32(place + 1)
                    order[place] = UInt32(truncatingIfNeeded: item)
                }
                return
            }
            for i in 0..<n {
                let item = items[i], digit = Int((item >> shift) & mask)
                let place = Int(digitCounts[digit])
                digitCounts[digit] = UInt32(place + 1)
                otherItems[place] = item
            }
            swap(&items, &otherItems)
        }
        // Every key alike: the positions in the order they came.
        for i in 0..<n { order[i] = UInt32(truncatingIfNeeded: items[i]) }
    }
}
