// Two distributions of numbers are compared by their quantiles: sort each, and pair the smallest
// with the smallest, the median with the median, the largest with the largest. In one dimension
// that pairing is the optimal transport, and the mean squared difference of the pairs is the
// squared Wasserstein-2 distance. A style's features and the picture's have different numbers of
// positions, so the style's are read at the picture's count: the quantile at (k + 0.5) / n for
// the k-th of n sorted values, by linear interpolation between the style's sorted values.

/// Numbers with weights, sorted: the distribution quantiles are read from. Several styles
/// blended give one distribution, each style's values weighted by its blend weight over its count.
public struct WeightedValues: Sendable {
    /// The values in increasing order.
    public private(set) var sorted: [Float]
    /// Where each sorted value sits on the 0...1 scale of cumulative weight: the middle of its share.
    public private(set) var levels: [Double]

    /// The distribution of `samples`, each a list of values and its weight (normalised to sum to 1).
    public init(_ samples: [(values: [Float], weight: Float)]) {
        self.init(merging: samples.map { (sorted: sortingOrder($0.values).map { [values = $0.values] in values[$0] }, weight: $0.weight) })
    }

    /// The same from each sample's values already sorted (the engine sorts them faster): the
    /// lists merged, equal values in the order of the samples, each value's share of the weight
    /// its sample's weight over its count.
    public init(merging samples: [(sorted: [Float], weight: Float)]) {
        let total = samples.reduce(0) { $0 + Double($1.weight) }
        let shares = samples.map { $0.sorted.isEmpty ? 0 : Double($0.weight) / total / Double($0.sorted.count) }
        var next = [Int](repeating: 0, count: samples.count)
        sorted = []
        levels = []
        var before = 0.0
        while true {
            // The smallest next value; on a tie, the earlier sample's.
            var chosen = -1
            for s in samples.indices where next[s] < samples[s].sorted.count {
                if chosen < 0 || samples[s].sorted[next[s]] < samples[chosen].sorted[next[chosen]] { chosen = s }
            }
            guard chosen >= 0 else { break }
            sorted.append(samples[chosen].sorted[next[chosen]])
            levels.append(before + shares[chosen] / 2)
            before += shares[chosen]
            next[chosen] += 1
        }
    }

    /// One list of values, all of the same weight.
    public init(_ values: [Float]) { self.init([(values, 1)]) }

    /// The value at `level` in 0...1: interpolated between the two sorted values whose levels
    /// surround it, or the smallest or largest beyond the ends.
    public func quantile(_ level: Double) -> Float {
        guard level > levels[0] else { return sorted[0] }
        guard level < levels[levels.count - 1] else { return sorted[sorted.count - 1] }
        var (low, high) = (0, levels.count - 1)   // levels[low] < level <= levels[high]
        while high - low > 1 {
            let middle = (low + high) / 2
            if levels[middle] < level { low = middle } else { high = middle }
        }
        let t = (level - levels[low]) / (levels[high] - levels[low])
        return Float(Double(sorted[low]) + t * (Double(sorted[high]) - Double(sorted[low])))
    }

    /// `count` quantiles, at (k + 0.5) / count: what the k-th smallest of `count` values is paired
    /// with. The levels rise, so one sweep along the sorted values finds each pair of neighbours
    /// `quantile` would (the first whose level reaches the level asked, and the one before).
    public func quantiles(count: Int) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        var high = 0
        for k in 0..<count {
            let level = (Double(k) + 0.5) / Double(count)
            while high < levels.count && levels[high] < level { high += 1 }
            if high == 0 { result[k] = sorted[0]; continue }
            if high == levels.count { result[k] = sorted[sorted.count - 1]; continue }
            let low = high - 1
            let t = (level - levels[low]) / (levels[high] - levels[low])
            result[k] = Float(Double(sorted[low]) + t * (Double(sorted[high]) - Double(sorted[low])))
        }
        return result
    }
}

/// The positions of `values` in increasing order of value (ties by position): sorted[k] = values[order[k]].
public func sortingOrder(_ values: [Float]) -> [Int] {
    values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
}
