// Where each region of a picture lies, and its guide at every layer (spatial control). A layout
// gives each pixel a region number; a region's guide at a layer is the share of each of that
// layer's cells that lies in the region: after k poolings a cell covers a 2^k x 2^k block of
// pixels, and its guide value is the fraction of the block inside the region, 1 well inside, 0
// well outside, between along the edges. That is the 2017 paper's simple guide; its "inside"
// guide is eroded: a cell counts (1) only if its whole block lies in the region, so the
// statistics of a region never mix in the pixels along its border. The guide then weights the
// feature maps in GuidedGramMatrix.swift.

/// Which guide a region gets at each layer.
public enum GuideKind: String, Sendable, CaseIterable {
    /// The share of each cell's block inside the region.
    case simple
    /// 1 for a cell whose block lies wholly inside the region, 0 for the others.
    case inside
}

/// Each pixel's region, numbered from 0, over a picture of `height` x `width`.
public struct RegionLayout: Equatable, Sendable {
    /// The picture's size in pixels.
    public let height: Int, width: Int
    /// How many regions there are.
    public let regions: Int
    /// Row by row, one region number per pixel.
    public let labels: [Int]

    /// A layout from one region number per pixel, row by row.
    public init(height: Int, width: Int, regions: Int, labels: [Int]) {
        precondition(labels.count == height * width, "one label per pixel")
        precondition(labels.allSatisfy { (0..<regions).contains($0) }, "labels run from 0 to regions - 1")
        self.height = height
        self.width = width
        self.regions = regions
        self.labels = labels
    }

    /// The same regions over a picture of another size, each pixel taking the label of the
    /// pixel it falls on (nearest neighbour, so no label is blended into another).
    public func resized(height h: Int, width w: Int) -> RegionLayout {
        var resized = [Int](repeating: 0, count: h * w)
        for y in 0..<h {
            let sy = min(height - 1, (2 * y + 1) * height / (2 * h))
            for x in 0..<w {
                resized[y * w + x] = labels[sy * width + min(width - 1, (2 * x + 1) * width / (2 * w))]
            }
        }
        return RegionLayout(height: h, width: w, regions: regions, labels: resized)
    }

    /// The region's guide after `poolings` 2x2 poolings: (height >> poolings) x (width >> poolings)
    /// values, each the fraction of its block of pixels inside the region.
    public func guide(region: Int, poolings: Int, kind: GuideKind = .simple) -> [Float] {
        let block = 1 << poolings, h = height >> poolings, w = width >> poolings
        var guide = [Float](repeating: 0, count: h * w)
        for y in 0..<(h * block) {
            for x in 0..<(w * block) where labels[y * width + x] == region {
                guide[(y / block) * w + x / block] += 1
            }
        }
        let area = Float(block * block)
        switch kind {
        case .simple: return guide.map { $0 / area }
        case .inside: return guide.map { $0 == area ? 1 : 0 }
        }
    }

    /// The pixels of each region.
    public var areas: [Int] {
        var areas = [Int](repeating: 0, count: regions)
        for label in labels { areas[label] += 1 }
        return areas
    }
}
