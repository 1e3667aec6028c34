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
        let total = samples.reduce(0) { $0 + Double($1.weight) }
        var pairs: [(value: Float, weight: Double)] = []
        for (values, weight) in samples where !values.isEmpty {
            let each = Double(weight) / total / Double(values.count)
            pairs += values.map { ($0, each) }
        }
        // Equal values keep the order they were given in (the first sample's first), so equal
        // values of different weights always take the same levels.
        pairs = pairs.indices.sorted { pairs[$0].value < pairs[$1].value || (pairs[$0].value == pairs[$1].value && $0 < $1) }.map { pairs[$0] }
        sorted = pairs.map(\.value)
        levels = []
        var before = 0.0
        for pair in pairs {
            levels.append(before + pair.weight / 2)
            before += pair.weight
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

    /// `count` quantiles, at (k + 0.5) / count: what the k-th smallest of `count` values is paired with.
    public func quantiles(count: Int) -> [Float] {
        (0..<count).map { quantile((Double($0) + 0.5) / Double(count)) }
    }
}

/// The positions of `values` in increasing order of value (ties by position): sorted[k] = values[order[k]].
public func sortingOrder(_ values: [Float]) -> [Int] {
    values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
}
