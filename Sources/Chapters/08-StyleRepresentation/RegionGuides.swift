// Where each region of a picture lies, and its guide at every layer (spatial control, chapter
// 10). A layout gives each pixel a region number; a region's guide at a layer is the share of
// each of that layer's cells that lies in the region: after k poolings a cell covers a 2^k x 2^k
// block of pixels, and its guide value is the fraction of the block inside the region, 1 well
// inside, 0 well outside, between along the edges. (The 2017 paper calls this the simple guide,
// beside an eroded "inside" one.) The guide then weights the feature maps in
// GuidedGramMatrix.swift.

/// Each pixel's region, numbered from 0, over a picture of `height` x `width`.
public struct RegionLayout: Equatable, Sendable {
    public let height: Int, width: Int
    public let regions: Int
    /// Row by row, one region number per pixel.
    public let labels: [Int]

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
    public func guide(region: Int, poolings: Int) -> [Float] {
        let block = 1 << poolings, h = height >> poolings, w = width >> poolings
        var guide = [Float](repeating: 0, count: h * w)
        for y in 0..<(h * block) {
            for x in 0..<(w * block) where labels[y * width + x] == region {
                guide[(y / block) * w + x / block] += 1
            }
        }
        let area = Float(block * block)
        return guide.map { $0 / area }
    }

    /// The pixels of each region.
    public var areas: [Int] {
        var areas = [Int](repeating: 0, count: regions)
        for label in labels { areas[label] += 1 }
        return areas
    }
}
