import Foundation
import Tensors
import Pictures
import Optimisers
import FastNetwork
import FastLosses
import StyleTransferRun
import VideoStyleTransfer
import FastOpticalFlow

// Chapter 11, "Moving pictures", as a run: a video styled frame after frame. The first frame is
// a still picture's run. Each later frame is pulled towards the stylised frames before it
// (Ruder, Dosovitskiy and Brox 2016): the optical flow from the new frame back to each earlier
// one carries that stylised frame over (warping), the consistency check says where it may be
// trusted, and the run starts from the nearest frame carried over, so it needs only a few
// iterations to mend what moved. Nothing is kept between frames but the few earlier frames
// compared, so a clip of any length takes the memory of one frame's run.

/// A frame styled earlier, as a later frame needs it.
public struct EarlierFrame: Sendable {
    /// How many frames back it is (1: the frame just before).
    public var distance: Int
    /// The frame as filmed (RGB 0...255, the run's size).
    public var content: FloatImage
    /// Its stylised picture as the optimisation made it (`Stylization.runPicture`, RGB 0...255).
    public var stylised: FloatImage

    /// An earlier frame `distance` back, as filmed and as stylised.
    public init(distance: Int, content: FloatImage, stylised: FloatImage) {
        self.distance = distance
        self.content = content
        self.stylised = stylised
    }
}

/// How a video is styled: the still picture's settings, plus the temporal term's.
public struct VideoSettings: Sendable {
    /// The settings of every frame's run (one scale; the initialisation and iterations are the first frame's).
    public var frame = StylizationSettings()
    /// The temporal loss's weight; 0 styles every frame on its own, as a first frame.
    public var temporalWeight: Float = 1e3
    /// Iterations for each frame after the first, which starts from the frame before carried over.
    public var laterIterations = 30
    /// Long-term consistency: compare with the frames 1, 2 and 4 back, not just 1.
    public var longTerm = false

    /// The defaults: chapter 9's settings, weight 1000, 30 iterations after the first frame, short-term only.
    public init() {}

    /// Which earlier frames a frame compares with.
    public var distances: [Int] { temporalWeight == 0 ? [] : longTerm ? [1, 2, 4] : [1] }
}

/// What the temporal term of one frame was made from, for pictures and progress lines.
public struct FrameAlignment {
    /// How many frames back the earlier frame is.
    public var distance: Int
    /// The consistency check's weight of each pixel (after the long-term rule, with several frames).
    public var reliability: [Float]
    /// That frame's stylised picture carried over to this one (RGB 0...255).
    public var warped: FloatImage
}

/// A video styled one frame at a time.
public struct VideoStylization {
    /// The network every frame's run evaluates on.
    public let network: FastVGG
    /// The style images (RGB 0...255).
    public let styles: [FloatImage]
    /// How the frames are styled.
    public let settings: VideoSettings
    /// The optical flow (the engine's sweeps).
    public var flow = HornSchunckFlow.fast

    /// A video's run on `network` in the style of `styles`.
    public init(network: FastVGG, styles: [FloatImage], settings: VideoSettings) {
        self.network = network
        self.styles = styles
        self.settings = settings
    }

    /// The frame at the run's size: the longer side `settings.frame.size`.
    public func prepared(_ frame: FloatImage) -> FloatImage { frame.rgb().resized(longestSide: settings.frame.size) }

    /// Aligns each earlier frame with `frame`: the flows both ways between them, the consistency
    /// check, and the stylised earlier frame warped by the backward flow; with several earlier
    /// frames, each pixel keeps the nearest reliable one (`longTermWeights`).
    public func alignments(of frame: FloatImage, with earlier: [EarlierFrame]) -> [FrameAlignment] {
        let nearestFirst = earlier.sorted { $0.distance < $1.distance }
        var made: [FrameAlignment] = nearestFirst.map { previous in
            let backward = flow.flow(from: frame, to: previous.content)
            let forward = flow.flow(from: previous.content, to: frame)
            return FrameAlignment(distance: previous.distance,
                                  reliability: reliability(forward: forward, backward: backward),
                                  warped: warp(previous.stylised, by: backward))
        }
        let weights = longTermWeights(made.map(\.reliability))
        for i in made.indices { made[i].reliability = weights[i] }
        return made
    }

    /// The still picture's run for `frame` (prepared) when it is a first frame or the temporal
    /// weight is 0; otherwise the run with the temporal term, from the nearest earlier frame
    /// carried over. `earlier` holds the frames `settings.distances` back that exist.
    public func stylization(of frame: FloatImage, earlier: [EarlierFrame]) -> (Stylization, [FrameAlignment]) {
        var frameSettings = settings.frame
        frameSettings.scales = 1
        let compared = earlier.filter { settings.distances.contains($0.distance) }
        guard !compared.isEmpty else {
            return (Stylization(network: network, content: frame, styles: styles, settings: frameSettings), [])
        }
        let alignments = alignments(of: frame, with: compared)
        let temporal = TemporalConsistency(weight: settings.temporalWeight, targets: alignments.map {
            TemporalTarget(warped: network.tensor($0.warped), weights: $0.reliability)
        })
        frameSettings.initialisation = .image(alignments[0].warped)
        frameSettings.iterations = settings.laterIterations
        frameSettings.scaleIterations = []
        return (Stylization(network: network, content: frame, styles: styles, settings: frameSettings, morePixelTerms: [temporal]), alignments)
    }
}

/// Chapter 11's temporal term as one of the loss's terms on the pixels: reported as the loss's
/// additional part, its gradient added into the image's.
extension TemporalConsistency: PixelTerm {
    public var part: WritableKeyPath<LossParts, Double> { \.additional }

    public func evaluate(_ image: Tensor, addingGradientInto gradient: inout Tensor) -> Double {
        let (loss, termGradient) = evaluate(image)
        for i in 0..<termGradient.count { gradient.data[i] += termGradient.data[i] }
        return loss
    }
}
