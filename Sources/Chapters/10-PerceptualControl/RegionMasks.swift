import Pictures
import StyleRepresentation
import VGG

// Spatial control's masks: pictures of flat colours. The content mask marks the regions of the
// photo (the result); each style image has a mask in the same colours, and a region of colour c
// in the result takes its style from the regions of colour c of the style images. Masks are
// drawn by hand or by a program, so their edges may be antialiased: a colour that covers a
// noticeable share of a mask (1% of its pixels) is a region's colour; the rest, the blends along
// the edges, are snapped to the nearest region colour.

/// A mask that cannot be used, in one line.
public struct MaskError: Error, CustomStringConvertible {
    /// What is wrong, in one line.
    public let description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// An RGB colour of a mask (0...255 each).
public struct MaskColour: Hashable, Sendable, CustomStringConvertible {
    /// The colour's channels, 0...255.
    public let red: Int, green: Int, blue: Int
    /// The colour (red, green, blue).
    public init(_ red: Int, _ green: Int, _ blue: Int) { (self.red, self.green, self.blue) = (red, green, blue) }
    /// #rrggbb.
    public var description: String {
        "#" + [red, green, blue].map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }
    func distanceSquared(to other: MaskColour) -> Int {
        let (r, g, b) = (red - other.red, green - other.green, blue - other.blue)
        return r * r + g * g + b * b
    }
}

/// The region colours of masks and each mask's layout in them.
public struct RegionMasks {
    /// The region colours, from the content mask: region i is colour i.
    public let colours: [MaskColour]
    /// Regions up to this many: more flat colours than this is not a mask.
    public static let maximumRegions = 16
    /// A share of a mask's pixels above which a colour is a region's, not an edge's.
    static let regionShare = 0.01
    /// How far (in 0...255 RGB, squared) a region colour of a style mask may be from the content
    /// mask's nearest one: a little noise or compression is forgiven, another colour is not.
    static let sameColour = 24 * 24

    /// The colours of `mask` (the content mask) that cover 1% of it or more.
    public init(contentMask mask: FloatImage, name: String) throws {
        colours = Self.regionColours(of: mask).map(\.colour)
        guard !colours.isEmpty else { throw MaskError("\(name): no colour covers 1% of the mask") }
        guard colours.count <= Self.maximumRegions else {
            throw MaskError("\(name): \(colours.count) colours each cover 1% of the mask; a mask has at most \(Self.maximumRegions) flat colours")
        }
    }

    /// Each pixel of `mask` as the region of the nearest colour. A colour covering 1% of the mask
    /// that is none of the regions' is refused, named.
    public func layout(of mask: FloatImage, name: String) throws -> RegionLayout {
        for (colour, count) in Self.regionColours(of: mask) {
            guard colours.contains(where: { $0.distanceSquared(to: colour) <= Self.sameColour }) else {
                throw MaskError("\(name): colour \(colour) (\(100 * count / (mask.width * mask.height))% of the mask) is not a colour of the content mask (\(colours.map(\.description).joined(separator: ", ")))")
            }
        }
        let rgb = mask.rgb(), plane = mask.width * mask.height
        var nearest: [MaskColour: Int] = [:]
        let labels = (0..<plane).map { i -> Int in
            let colour = Self.colour(rgb, i, plane)
            if let known = nearest[colour] { return known }
            let region = colours.indices.min { colours[$0].distanceSquared(to: colour) < colours[$1].distanceSquared(to: colour) }!
            nearest[colour] = region
            return region
        }
        return RegionLayout(height: mask.height, width: mask.width, regions: colours.count, labels: labels)
    }

    /// The colours covering 1% of `mask` or more, with their pixels: the largest first, equal ones
    /// in the order of their colours, so that the regions' numbers (and every message) are the
    /// same in every run.
    static func regionColours(of mask: FloatImage) -> [(colour: MaskColour, count: Int)] {
        let threshold = Int((Double(mask.width * mask.height) * regionShare).rounded(.up))
        return colourCounts(mask).filter { $0.value >= threshold }.sorted { a, b in
            a.value != b.value ? a.value > b.value : (a.key.red, a.key.green, a.key.blue) < (b.key.red, b.key.green, b.key.blue)
        }.map { (colour: $0.key, count: $0.value) }
    }

    static func colour(_ rgb: FloatImage, _ i: Int, _ plane: Int) -> MaskColour {
        func value(_ c: Int) -> Int { Int(min(255, max(0, rgb.pixels[c * plane + i])).rounded()) }
        return MaskColour(value(0), value(1), value(2))
    }

    static func colourCounts(_ mask: FloatImage) -> [MaskColour: Int] {
        let rgb = mask.rgb(), plane = mask.width * mask.height
        var counts: [MaskColour: Int] = [:]
        for i in 0..<plane { counts[colour(rgb, i, plane), default: 0] += 1 }
        return counts
    }

    /// The first problem with these layouts, in one line: a region that no style mask has, or a
    /// region of the result that keeps less than one whole cell of `deepestLayer` (its guide's
    /// sum of squares under 1) when the result is `height` x `width`: its Gram matrix there would
    /// be a few pixels' noise divided by almost nothing.
    public func problem(picture: RegionLayout, styles: [RegionLayout], architecture: VGGArchitecture, deepestLayer: String,
                        height: Int, width: Int, kind: GuideKind = .simple) -> String? {
        for region in colours.indices where !styles.contains(where: { $0.areas[region] > 0 }) {
            return "colour \(colours[region]) of the content mask is in no style mask: give it a region in at least one"
        }
        let sized = picture.resized(height: height, width: width)
        let poolings = architecture.poolings(before: deepestLayer)
        for region in colours.indices where sized.guide(region: region, poolings: poolings, kind: kind).reduce(0, { $0 + $1 * $1 }) < 1 {
            return "the region of colour \(colours[region]) is too small: at \(width)x\(height) it covers less than one cell of \(deepestLayer) "
                + "(\(1 << poolings) x \(1 << poolings) pixels); enlarge it or raise --size"
        }
        return nil
    }
}
