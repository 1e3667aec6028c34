// swift-tools-version:6.0
//
// A neural style transfer you can read: Gatys, Ecker and Bethge (2015) in pure Swift.
// No dependencies beyond the Swift toolchain (Foundation, Dispatch, XCTest).
//
// Modules come in three kinds (docs/DESIGN.md draws the map):
//  - the article's chapters, one module each, written to be read (the teaching path);
//  - `Kernels`, the fast path: SIMD and multithreaded code, each kernel with a plain twin;
//  - infrastructure: compression, image files, pictures, fetching, the gradient check.
import PackageDescription

/// Every target: Swift 5 language mode (the code predates strict concurrency checking).
let standard: [SwiftSetting] = [.swiftLanguageMode(.v5)]

/// The teaching code and the tools are optimised even in debug builds, so a plain
/// `swift run perceptron-demo` trains in seconds and `swift test` stays quick. `-O` keeps
/// Swift's overflow and bounds checks; only `Kernels` ever drops them.
let optimizedInDebug: [SwiftSetting] = standard + [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// The measured hot loops, and only they: in release builds `-Ounchecked` removes the bounds
/// and overflow traps inside the GEMM micro-kernels, the Winograd transforms and the direct
/// first-layer kernels, and `-target-cpu` lets the SIMD types use the widest vectors the target
/// has. The target is this machine (`native`) unless the environment variable STYLE_KERNEL_CPU
/// names another: `STYLE_KERNEL_CPU=haswell swift build -c release` builds, on an AVX-512
/// machine, exactly what an AVX2 laptop runs (and Sources/FastEngine/Kernels/MicroKernelShape.swift then
/// picks the AVX2 micro-kernel, told by KERNELS_TARGET_WITHOUT_AVX512). These kernels read no
/// outside bytes: their inputs are arrays the project itself made, with shapes checked on
/// entry. (Swift 6.3's -target-cpu takes LLVM's CPU names such as haswell or znver3, not the
/// x86-64-v3 level names. Added only on x86_64 and arm64 hosts, so the package still builds anywhere else with
/// the ordinary optimiser.)
let kernelCPU = Context.environment["STYLE_KERNEL_CPU"].flatMap { $0.isEmpty ? nil : $0 } ?? "native"
let hotKernels: [SwiftSetting] = {
    var flags = optimizedInDebug
    #if arch(x86_64) || arch(arm64)
    flags.append(.unsafeFlags(["-Ounchecked", "-target-cpu", kernelCPU], .when(configuration: .release)))
    // Debug builds keep every check but target the same CPU: without it the SIMD types' fused
    // multiply-adds become calls into the maths library, one per lane, and a debug build's
    // evaluation runs about 70 times slower than a release build's.
    flags.append(.unsafeFlags(["-target-cpu", kernelCPU], .when(configuration: .debug)))
    #endif
    // x86 targets known to lack AVX-512 (or AVX2): the micro-kernel choice must not rely on
    // what the CPU alone reports.
    if ["x86-64", "nehalem", "westmere", "sandybridge", "ivybridge"].contains(kernelCPU) {
        flags.append(.define("KERNELS_TARGET_WITHOUT_AVX2"))
    }
    if ["x86-64", "nehalem", "westmere", "sandybridge", "ivybridge", "haswell", "broadwell", "skylake", "alderlake",
        "znver1", "znver2", "znver3"].contains(kernelCPU) {
        flags.append(.define("KERNELS_TARGET_WITHOUT_AVX512"))
    }
    return flags
}()

/// The file formats and compression, and the pictures they convert to: the library products
/// (and what they import), which other packages may depend on, so no unsafe flags at all.
/// Every build keeps the bounds and overflow checks on outside bytes.
let parsers: [SwiftSetting] = standard

let package = Package(
    name: "ReadableStyleTransfer",
    // macOS 13 for Foundation's newer file and process calls; Linux on x86-64 and arm64 needs no
    // declaration (docs/DESIGN.md, "Platforms").
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Compression", targets: ["Compression"]),
        .library(name: "ImageFiles", targets: ["ImageFiles"]),
        .executable(name: "image-convert", targets: ["image-convert"]),
    ],
    targets: [
        // Infrastructure: how bytes are packed (RFC 1950/1951, zip), how pictures are stored
        // (PNG, PPM/PGM/PAM), pictures in memory and drawn (contact sheets, charts), the demos'
        // output folders, fetching pinned files, and the one numerical gradient check.
        .target(name: "Compression", path: "Sources/Formats/Compression", swiftSettings: parsers),
        .target(name: "AtomicFiles", path: "Sources/Formats/AtomicFiles", swiftSettings: parsers),
        .target(name: "Parallel", path: "Sources/Foundations/Parallel", swiftSettings: standard),
        .target(name: "Pictures", path: "Sources/Formats/Pictures", swiftSettings: parsers),
        .target(name: "ImageFiles", dependencies: ["Compression", "Pictures", "AtomicFiles", "Parallel"], path: "Sources/Formats/ImageFiles", swiftSettings: parsers),
        .target(name: "WeightFiles", path: "Sources/Formats/WeightFiles", swiftSettings: parsers),
        .target(name: "CommandLineArguments", path: "Sources/ProgramSupport/CommandLineArguments", swiftSettings: standard),
        .target(name: "DemoSupport", dependencies: ["Compression", "ImageFiles", "Pictures", "CommandLineArguments", "Tensors", "VGG", "Kernels",
                                                    "WeightFiles", "Fetching"], path: "Sources/ProgramSupport/DemoSupport",
                swiftSettings: standard),
        .target(name: "Fetching", dependencies: ["Compression", "AtomicFiles"], path: "Sources/Formats/Fetching", swiftSettings: standard),
        .target(name: "GradientChecking", path: "Sources/Testing/GradientChecking", swiftSettings: optimizedInDebug),
        // What the tests share beyond the gradient check: finding the package's own files.
        .target(name: "TestSupport", path: "Sources/Testing/TestSupport", swiftSettings: standard),
        // The fuzz targets, one per reader: built with libFuzzer and the address sanitizer by
        // Fuzz/run, and replayed on the inputs fuzzing found by FuzzRegressionTests.
        .target(name: "FuzzTargets", dependencies: ["Compression", "ImageFiles", "Pictures", "WeightFiles"], path: "Sources/Formats/FuzzTargets", swiftSettings: parsers),

        // The teaching path: tensors and the plain operations (convolution, pooling, ReLU,
        // sigmoid, fully connected, mean squared error, softmax), each forward beside its backward.
        .target(name: "SeededRandom", path: "Sources/Foundations/SeededRandom", swiftSettings: standard),
        .target(name: "Tensors", dependencies: ["SeededRandom"], path: "Sources/Foundations/Tensors", swiftSettings: optimizedInDebug),
        // The fast path: channels-last maps, GEMM, Winograd, the direct first-layer kernels,
        // ReLU/pooling/Gram on channels-last maps, threads. Each kernel has a plain twin.
        .target(name: "Kernels", dependencies: ["Tensors", "Parallel"], path: "Sources/FastEngine/Kernels", swiftSettings: hotKernels),

        // Chapters 1 to 5: the perceptron, deep networks, convolutional networks (2b: edges to
        // corners), local receptive fields, shared weights, pooling; and the generated dataset they learn from.
        .target(name: "GeneratedShapes", dependencies: ["Tensors"], path: "Sources/Foundations/GeneratedShapes", swiftSettings: optimizedInDebug),
        .target(name: "Perceptron", dependencies: ["Tensors", "Pictures"], path: "Sources/Chapters/01-Perceptron", swiftSettings: optimizedInDebug),
        .target(name: "DeepNetwork", dependencies: ["Tensors", "GeneratedShapes", "Pictures"], path: "Sources/Chapters/02-DeepNetwork", swiftSettings: optimizedInDebug),
        .target(name: "ConvolutionalNeuralNetwork", dependencies: ["Tensors", "GeneratedShapes"], path: "Sources/Chapters/02b-ConvolutionalNeuralNetwork", swiftSettings: optimizedInDebug),
        .target(name: "LocalReceptiveFields", dependencies: ["Pictures"], path: "Sources/Chapters/03-LocalReceptiveFields", swiftSettings: optimizedInDebug),
        .target(name: "SharedWeights", dependencies: ["Tensors", "GeneratedShapes", "Pictures"], path: "Sources/Chapters/04-SharedWeights", swiftSettings: optimizedInDebug),
        .target(name: "PoolingLayers", dependencies: ["Tensors", "GeneratedShapes"], path: "Sources/Chapters/05-PoolingLayers", swiftSettings: optimizedInDebug),

        // Chapter 6: the VGG network (plain and fast). Chapter 7: content representation.
        // Chapter 8: style representation. Chapter 9: styling an image (the total loss).
        .target(name: "VGG", dependencies: ["Tensors", "Kernels", "WeightFiles"], path: "Sources/Chapters/06-VGG", swiftSettings: optimizedInDebug),
        .target(name: "ContentRepresentation", dependencies: ["Tensors", "Kernels", "VGG", "Optimisers"], path: "Sources/Chapters/07-ContentRepresentation", swiftSettings: optimizedInDebug),
        .target(name: "StyleRepresentation", dependencies: ["Tensors", "Kernels", "VGG", "Optimisers", "Pictures"], path: "Sources/Chapters/08-StyleRepresentation", swiftSettings: optimizedInDebug),
        .target(name: "Optimisers", dependencies: ["Kernels", "Tensors"], path: "Sources/Chapters/06b-Optimisers", swiftSettings: optimizedInDebug),
        .target(name: "StyleTransfer", dependencies: ["Tensors", "Kernels", "VGG", "ContentRepresentation", "StyleRepresentation", "Optimisers", "Pictures"], path: "Sources/Chapters/09-StyleTransfer",
                swiftSettings: optimizedInDebug),
        // Chapter 10, beyond the article: controlling which colours (and, later, where and which scale).
        .target(name: "PerceptualControl", dependencies: ["Pictures", "StyleTransfer", "StyleRepresentation", "VGG"], path: "Sources/Chapters/10-PerceptualControl",
                swiftSettings: optimizedInDebug),
        // The style-transfer command's options and rules, apart from its program.
        .target(name: "StyleTransferCommand", dependencies: ["StyleTransfer", "PerceptualControl", "StyleRepresentation", "VGG", "Tensors", "Pictures", "ImageFiles", "Fetching", "DemoSupport",
                                                             "CommandLineArguments"], path: "Sources/ProgramSupport/StyleTransferCommand", swiftSettings: standard),

        // Tools and demos: thin executables over the library code.
        .executableTarget(name: "image-convert", dependencies: ["ImageFiles", "CommandLineArguments"], path: "Sources/Programs/image-convert", swiftSettings: standard),
        .executableTarget(name: "perceptron-demo", dependencies: ["Perceptron", "Pictures", "DemoSupport"], path: "Sources/Programs/perceptron-demo", swiftSettings: standard),
        .executableTarget(name: "deep-network-demo", dependencies: ["DeepNetwork", "GeneratedShapes", "Pictures", "DemoSupport", "Tensors"], path: "Sources/Programs/deep-network-demo",
                          swiftSettings: standard),
        .executableTarget(name: "convolutional-network-demo", dependencies: ["ConvolutionalNeuralNetwork", "GeneratedShapes", "Pictures", "DemoSupport", "Tensors"], path: "Sources/Programs/convolutional-network-demo",
                          swiftSettings: standard),
        .executableTarget(name: "receptive-field-demo", dependencies: ["LocalReceptiveFields", "GeneratedShapes", "Pictures", "DemoSupport"], path: "Sources/Programs/receptive-field-demo",
                          swiftSettings: standard),
        .executableTarget(name: "shared-weights-demo", dependencies: ["SharedWeights", "GeneratedShapes", "Pictures", "DemoSupport", "Tensors"], path: "Sources/Programs/shared-weights-demo",
                          swiftSettings: standard),
        .executableTarget(name: "pooling-demo", dependencies: ["PoolingLayers", "SharedWeights", "GeneratedShapes", "Pictures", "DemoSupport", "Tensors"], path: "Sources/Programs/pooling-demo",
                          swiftSettings: standard),
        .executableTarget(name: "vgg-demo", dependencies: ["VGG", "Kernels", "Tensors", "ImageFiles", "Pictures", "DemoSupport", "Fetching",
                                                           "CommandLineArguments"], path: "Sources/Programs/vgg-demo", swiftSettings: standard),
        .executableTarget(name: "content-demo", dependencies: ["ContentRepresentation", "Optimisers", "VGG", "Kernels", "Tensors", "ImageFiles", "Pictures",
                                                               "DemoSupport", "Fetching", "CommandLineArguments"], path: "Sources/Programs/content-demo", swiftSettings: standard),
        .executableTarget(name: "loss-chart", dependencies: ["StyleTransfer", "Pictures", "ImageFiles", "CommandLineArguments"], path: "Sources/Programs/loss-chart", swiftSettings: standard),
        .executableTarget(name: "contact-sheet", dependencies: ["Pictures", "ImageFiles", "CommandLineArguments"], path: "Sources/Programs/contact-sheet", swiftSettings: standard),
        .executableTarget(name: "make-samples", dependencies: ["Pictures", "ImageFiles", "CommandLineArguments"], path: "Sources/Programs/make-samples", swiftSettings: standard),
        .executableTarget(name: "style-transfer", dependencies: ["StyleTransfer", "StyleTransferCommand", "VGG", "Tensors", "ImageFiles", "Pictures", "DemoSupport",
                                                         "CommandLineArguments"], path: "Sources/Programs/style-transfer", swiftSettings: standard),
        .executableTarget(name: "style-demo", dependencies: ["StyleRepresentation", "Optimisers", "VGG", "Kernels", "Tensors", "ImageFiles", "Pictures",
                                                             "DemoSupport", "CommandLineArguments"], path: "Sources/Programs/style-demo", swiftSettings: standard),
        .executableTarget(name: "perceptual-control-demo", dependencies: ["StyleTransfer", "PerceptualControl", "StyleRepresentation", "VGG", "Tensors", "ImageFiles", "Pictures",
                                                                          "DemoSupport", "Fetching", "CommandLineArguments"],
                          path: "Sources/Programs/perceptual-control-demo", swiftSettings: standard),
        .executableTarget(name: "jpeg-demo", dependencies: ["ImageFiles", "Pictures", "DemoSupport", "Fetching", "CommandLineArguments"], path: "Sources/Programs/jpeg-demo",
                          swiftSettings: standard),
        .executableTarget(name: "images-demo", dependencies: ["ImageFiles", "Pictures", "DemoSupport", "Fetching"], path: "Sources/Programs/images-demo", swiftSettings: standard),
        .executableTarget(name: "fetch-samples", dependencies: ["Fetching", "CommandLineArguments"], path: "Sources/Programs/fetch-samples", swiftSettings: standard),
        .executableTarget(name: "benchmark", dependencies: ["Tensors", "Kernels", "VGG", "StyleTransfer", "Pictures", "DemoSupport",
                                                            "CommandLineArguments"], path: "Sources/Programs/benchmark", swiftSettings: standard),
        .executableTarget(name: "compression-benchmark", dependencies: ["Compression", "ImageFiles", "CommandLineArguments"], path: "Sources/Programs/compression-benchmark",
                          swiftSettings: standard),

        // Tests, one target per module. KernelsTests is also run against the release build.
        .testTarget(name: "CompressionTests", dependencies: ["Compression", "SeededRandom"], path: "Tests/Formats/Compression", swiftSettings: standard),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "Compression"], path: "Tests/Formats/Fetching", swiftSettings: standard),
        .testTarget(name: "GradientCheckingTests", dependencies: ["GradientChecking"], path: "Tests/Testing/GradientChecking", swiftSettings: optimizedInDebug),
        .testTarget(name: "ParallelTests", dependencies: ["Parallel"], path: "Tests/Foundations/Parallel", swiftSettings: standard),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "GradientChecking"], path: "Tests/Foundations/Tensors", swiftSettings: optimizedInDebug),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Tensors", "ContentRepresentation", "StyleRepresentation", "VGG", "StyleTransfer"], path: "Tests/FastEngine/Kernels",
                    swiftSettings: optimizedInDebug),
        .testTarget(name: "WeightFilesTests", dependencies: ["WeightFiles", "VGG", "Tensors"], path: "Tests/Formats/WeightFiles", swiftSettings: standard),
        .testTarget(name: "VGGTests", dependencies: ["TestSupport", "VGG", "Tensors", "Kernels", "Fetching", "GradientChecking"], path: "Tests/Chapters/06-VGG", exclude: ["Fixtures"], swiftSettings: optimizedInDebug),
        .testTarget(name: "ContentRepresentationTests", dependencies: ["ContentRepresentation", "VGG", "Tensors", "GradientChecking"], path: "Tests/Chapters/07-ContentRepresentation",
                    swiftSettings: optimizedInDebug),
        .testTarget(name: "StyleRepresentationTests", dependencies: ["StyleRepresentation", "VGG", "Tensors", "GradientChecking"], path: "Tests/Chapters/08-StyleRepresentation",
                    swiftSettings: optimizedInDebug),
        .testTarget(name: "StyleTransferTests", dependencies: ["TestSupport", "StyleTransfer", "StyleRepresentation", "StyleTransferCommand", "VGG", "Tensors", "Kernels", "GradientChecking",
                                                              "Optimisers", "Pictures", "CommandLineArguments", "DemoSupport", "Fetching", "ImageFiles"], path: "Tests/Chapters/09-StyleTransfer",
                    swiftSettings: optimizedInDebug),
        .testTarget(name: "PerceptualControlTests", dependencies: ["TestSupport", "PerceptualControl", "Pictures", "StyleTransfer", "StyleRepresentation", "VGG", "SeededRandom", "Tensors", "Fetching"],
                    path: "Tests/Chapters/10-PerceptualControl", swiftSettings: optimizedInDebug),
        .testTarget(name: "OptimisersTests", dependencies: ["Optimisers", "Kernels", "Tensors"], path: "Tests/Chapters/06b-Optimisers", swiftSettings: standard),
        .testTarget(name: "GeneratedShapesTests", dependencies: ["GeneratedShapes", "Tensors"], path: "Tests/Foundations/GeneratedShapes", swiftSettings: standard),
        .testTarget(name: "PerceptronTests", dependencies: ["Perceptron", "GradientChecking"], path: "Tests/Chapters/01-Perceptron", swiftSettings: standard),
        .testTarget(name: "DeepNetworkTests", dependencies: ["DeepNetwork", "GeneratedShapes", "Tensors", "GradientChecking"], path: "Tests/Chapters/02-DeepNetwork",
                    swiftSettings: standard),
        .testTarget(name: "ConvolutionalNeuralNetworkTests", dependencies: ["ConvolutionalNeuralNetwork", "GeneratedShapes", "Tensors"], path: "Tests/Chapters/02b-ConvolutionalNeuralNetwork", swiftSettings: standard),
        .testTarget(name: "LocalReceptiveFieldsTests", dependencies: ["LocalReceptiveFields", "Pictures"], path: "Tests/Chapters/03-LocalReceptiveFields", swiftSettings: standard),
        .testTarget(name: "SharedWeightsTests", dependencies: ["SharedWeights", "GeneratedShapes", "Tensors"], path: "Tests/Chapters/04-SharedWeights", swiftSettings: standard),
        .testTarget(name: "PoolingLayersTests", dependencies: ["PoolingLayers", "GeneratedShapes", "Tensors", "GradientChecking"], path: "Tests/Chapters/05-PoolingLayers",
                    swiftSettings: standard),
        .testTarget(name: "PicturesTests", dependencies: ["Pictures"], path: "Tests/Formats/Pictures", swiftSettings: standard),
        .testTarget(name: "NotebookTests", dependencies: ["TestSupport"], path: "Tests/Chapters/Notebooks", swiftSettings: standard),
        .testTarget(name: "CommandLineArgumentsTests", dependencies: ["CommandLineArguments"], path: "Tests/ProgramSupport/CommandLineArguments", swiftSettings: standard),
        // Runs every executable (built by `swift test`) on good and bad argument lists.
        .testTarget(name: "ExecutableTests", dependencies: ["TestSupport"], path: "Tests/Programs/Executables", swiftSettings: standard),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["TestSupport", "FuzzTargets", "Compression"], path: "Tests/Formats/FuzzRegression", swiftSettings: standard),
        .testTarget(name: "ImageFilesTests", dependencies: ["TestSupport", "ImageFiles", "Pictures", "Compression", "SeededRandom"], path: "Tests/Formats/ImageFiles",
                    resources: [.copy("PngSuite"), .copy("JPEG")], swiftSettings: standard),
    ]
)
