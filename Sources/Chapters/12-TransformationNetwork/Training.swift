import Tensors
import SeededRandom
import Optimisers

// Training: the optimisation chapter 9 runs for one picture, run once on the network's weights
// over many photos. Each step paints a batch of random crops of the training photos (flipped
// left to right half the time, so the network sees more than the photos hold), measures each
// painting with the perceptual loss, passes the gradients back through the network to its
// weights, adds them over the batch, and moves the weights with chapter 6b's Adam.

/// How a network is trained: its size, the crops, the batch and Adam's rate.
public struct TrainingSettings: Sendable {
    /// W, the network's maps at full size (TransformationNetwork.swift).
    public var width = 16
    public var residualBlocks = 5
    /// The side of the square crops, a multiple of 4.
    public var crop = 256
    /// Crops per step.
    public var batch = 1
    /// Adam's rate (Johnson et al.'s 1e-3).
    public var learningRate: Float = 1e-3
    /// The seed of the network's weights and of the crops.
    public var seed: UInt64 = 1

    public init() {}
}

/// Random square crops of the training photos, flipped left to right half the time: what each
/// step paints. The generator is the whole state, so the same seed draws the same crops.
public struct RandomCrops: Sendable {
    /// The training photos (RGB 0...255, (3, H, W)), each at least the crop's size.
    public let photos: [Tensor]
    /// The crops' side.
    public let side: Int
    /// Draws each crop's photo, corner and flip.
    public var generator: SplitMix64

    /// Crops of `side` from `photos`, drawn from `seed`.
    public init(photos: [Tensor], side: Int, seed: UInt64) {
        precondition(!photos.isEmpty && photos.allSatisfy { $0.shape[1] >= side && $0.shape[2] >= side }, "photos at least the crop's size")
        self.photos = photos
        self.side = side
        generator = SplitMix64(seed: seed)
    }

    /// The next crop: a photo, a corner, and a flip half the time.
    public mutating func next() -> Tensor {
        let photo = photos[Int(generator.next() % UInt64(photos.count))]
        let (height, width) = (photo.shape[1], photo.shape[2])
        let top = Int(generator.next() % UInt64(height - side + 1)), left = Int(generator.next() % UInt64(width - side + 1))
        let flip = generator.next() % 2 == 1
        var crop = Tensor(shape: [3, side, side])
        for c in 0..<3 {
            for y in 0..<side {
                for x in 0..<side { crop[c, y, x] = photo[c, top + y, left + (flip ? side - 1 - x : x)] }
            }
        }
        return crop
    }
}

/// A network being trained: its weights, Adam's state, the crops and the step.
public struct Training {
    public var network: TransformationNetwork
    public var loss: PerceptualLoss
    public let settings: TrainingSettings
    public var optimiser: Adam
    /// The crops each step paints.
    public var crops: RandomCrops
    /// Steps taken.
    public private(set) var steps = 0

    /// A new network of `settings` to be trained with `loss` on `photos` (RGB 0...255, (3, H, W),
    /// each at least the crop's size).
    public init(photos: [Tensor], loss: PerceptualLoss, settings: TrainingSettings) {
        precondition(settings.crop % 4 == 0, "a crop that is a multiple of 4")
        self.loss = loss
        self.settings = settings
        network = TransformationNetwork(width: settings.width, residualBlocks: settings.residualBlocks, seed: settings.seed)
        optimiser = Adam(learningRate: settings.learningRate)
        crops = RandomCrops(photos: photos, side: settings.crop, seed: settings.seed &+ 0x5EED)
    }

    /// One step: a batch of crops painted and measured, the weights' gradients added over the
    /// batch (the loss is the batch's mean), and Adam's move. Returns the batch's mean loss parts.
    public mutating func step() -> LossParts {
        loss.redraw(forStep: steps)
        let (network, loss) = (self.network, self.loss)
        let parts = Self.step(network: &self.network, optimiser: &optimiser, crops: &crops, batch: settings.batch) { photo in
            let (picture, tape) = network.forward(photo)
            let (parts, dPicture) = loss.evaluate(picture: picture, photo: photo)
            return (parts, network.backward(dPicture: dPicture, tape: tape).flatMap(\.data))
        }
        steps += 1
        return parts
    }

    /// A step's arithmetic, the engine's twin's too: `batch` crops, each one's loss parts and
    /// weight gradient from `measure`, their means, and Adam's move of `network`'s weights.
    public static func step(network: inout TransformationNetwork, optimiser: inout Adam, crops: inout RandomCrops, batch: Int,
                            measure: (_ photo: Tensor) -> (parts: LossParts, weights: [Float])) -> LossParts {
        var total = LossParts()
        var gradient = [Float](repeating: 0, count: network.parameterVector.count)
        for _ in 0..<batch {
            let (parts, weights) = measure(crops.next())
            total.content += parts.content / Double(batch)
            total.style += parts.style / Double(batch)
            total.totalVariation += parts.totalVariation / Double(batch)
            for i in gradient.indices { gradient[i] += weights[i] / Float(batch) }
        }
        var vector = network.parameterVector
        _ = optimiser.step(&vector, loss: total.total, gradient: gradient)
        network = network.replacingParameters(vector: vector)
        return total
    }
}
