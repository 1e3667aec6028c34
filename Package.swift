// swift-tools-version:6.0
//
// A neural style transfer you can read: Gatys, Ecker and Bethge (2015) in pure Swift.
// No dependencies beyond the Swift toolchain (Foundation, Dispatch, XCTest).
//
// The folders say what each module is (docs/DESIGN.md draws the map):
//  - Sources/Chapters: the tutorial, one module per chapter of the article, in plain Swift;
//  - Sources/FastEngine: the engine, the chapters' fast twins (SIMD, threads, tiling, the run
//    loop), each tested against its chapter;
//  - Sources/Foundations, Formats, ProgramSupport, Testing and Programs: what both stand on,
//    the file formats, what the programs share, the tests' helpers, and the programs.
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
        // Foundations: tensors and their plain operations, seeded random numbers, the generated dataset
        // of chapters 1-5, and the worker threads the engine shares its work out on.
        .target(name: "SeededRandom", path: "Sources/Foundations/SeededRandom", swiftSettings: standard),
        .target(name: "Tensors", dependencies: ["SeededRandom"], path: "Sources/Foundations/Tensors", swiftSettings: optimizedInDebug),
        .target(name: "GeneratedShapes", dependencies: ["SeededRandom", "Tensors"], path: "Sources/Foundations/GeneratedShapes", swiftSettings: optimizedInDebug),
        .target(name: "Parallel", path: "Sources/Foundations/Parallel", swiftSettings: standard),

        // Formats: how bytes are packed (RFC 1950/1951, zip), how pictures are stored (PNG, JPEG,
        // PPM/PGM/PAM), pictures in memory and drawn (contact sheets, charts), the weight files, atomic
        // writes, fetching pinned files, and the fuzz targets of every reader.
        .target(name: "Compression", path: "Sources/Formats/Compression", swiftSettings: parsers),
        .target(name: "AtomicFiles", path: "Sources/Formats/AtomicFiles", swiftSettings: parsers),
        .target(name: "Pictures", path: "Sources/Formats/Pictures", swiftSettings: parsers),
        .target(name: "ImageFiles", dependencies: ["Compression", "AtomicFiles", "Pictures"], path: "Sources/Formats/ImageFiles", swiftSettings: parsers),
        .target(name: "HTTPMessages", path: "Sources/Formats/HTTPMessages", swiftSettings: parsers),
        .target(name: "WeightFiles", path: "Sources/Formats/WeightFiles", swiftSettings: parsers),
        .target(name: "Fetching", dependencies: ["Compression", "AtomicFiles"], path: "Sources/Formats/Fetching", swiftSettings: standard),
        .target(name: "FuzzTargets", dependencies: ["Compression", "Pictures", "ImageFiles", "WeightFiles", "HTTPMessages"], path: "Sources/Formats/FuzzTargets", swiftSettings: parsers),

        // The chapters, the tutorial: plain Swift, one module per chapter of the article, each needing
        // only the foundations, the formats it reads or draws pictures with, and earlier chapters, never
        // the engine (scripts/check-target-imports.py checks it).
        .target(name: "Perceptron", dependencies: ["SeededRandom", "Tensors", "Pictures"], path: "Sources/Chapters/01-Perceptron", swiftSettings: optimizedInDebug),
        .target(name: "DeepNetwork", dependencies: ["SeededRandom", "Tensors", "GeneratedShapes", "Pictures"], path: "Sources/Chapters/02-DeepNetwork", swiftSettings: optimizedInDebug),
        .target(name: "ConvolutionalNeuralNetwork", dependencies: ["Tensors", "GeneratedShapes"], path: "Sources/Chapters/02b-ConvolutionalNeuralNetwork", swiftSettings: optimizedInDebug),
        .target(name: "LocalReceptiveFields", dependencies: ["Pictures"], path: "Sources/Chapters/03-LocalReceptiveFields", swiftSettings: optimizedInDebug),
        .target(name: "SharedWeights", dependencies: ["Tensors", "Pictures"], path: "Sources/Chapters/04-SharedWeights", swiftSettings: optimizedInDebug),
        .target(name: "PoolingLayers", dependencies: ["SeededRandom", "Tensors", "GeneratedShapes"], path: "Sources/Chapters/05-PoolingLayers", swiftSettings: optimizedInDebug),
        .target(name: "VGG", dependencies: ["Tensors", "WeightFiles"], path: "Sources/Chapters/06-VGG", swiftSettings: optimizedInDebug),
        .target(name: "Optimisers", dependencies: ["Tensors", "VGG"], path: "Sources/Chapters/06b-Optimisers", swiftSettings: optimizedInDebug),
        .target(name: "ContentRepresentation", dependencies: ["Tensors", "VGG", "Optimisers"], path: "Sources/Chapters/07-ContentRepresentation", swiftSettings: optimizedInDebug),
        .target(name: "StyleRepresentation", dependencies: ["Tensors", "Pictures", "VGG", "Optimisers"], path: "Sources/Chapters/08-StyleRepresentation", swiftSettings: optimizedInDebug),
        .target(name: "StyleDistribution", dependencies: ["SeededRandom", "Tensors", "Optimisers", "StyleRepresentation"], path: "Sources/Chapters/08b-StyleAsDistribution", swiftSettings: optimizedInDebug),
        .target(name: "StyleTransfer", dependencies: ["Tensors", "Pictures", "VGG", "Optimisers", "ContentRepresentation", "StyleRepresentation"], path: "Sources/Chapters/09-StyleTransfer", swiftSettings: optimizedInDebug),
        .target(name: "PerceptualControl", dependencies: ["Tensors", "Pictures", "VGG", "StyleRepresentation"], path: "Sources/Chapters/10-PerceptualControl", swiftSettings: optimizedInDebug),
        .target(name: "VideoStyleTransfer", dependencies: ["Tensors", "Pictures"], path: "Sources/Chapters/11-VideoStyleTransfer", swiftSettings: optimizedInDebug),
        .target(name: "TransformationNetwork", dependencies: ["SeededRandom", "Tensors", "WeightFiles", "VGG", "Optimisers", "StyleRepresentation", "StyleDistribution", "StyleTransfer"], path: "Sources/Chapters/12-TransformationNetwork", swiftSettings: optimizedInDebug),

        // The engine: the fast twins of the chapters, each tested against its chapter. Kernels holds
        // the SIMD and multithreaded kernels; FastNetwork runs VGG on them; FastOptimisers gives L-BFGS
        // fused vector operations; FastLosses holds the fast loss terms (the style term's protocol and
        // its conformances, the terms on the pixels), the whole fast loss and its tiled evaluation;
        // StyleTransferRun is the run loop, with its memory plan; VideoRun styles a clip frame by
        // frame with the optical flow (FastOpticalFlow), and nothing a still picture runs needs it.
        .target(name: "Kernels", dependencies: ["Tensors", "Parallel"], path: "Sources/FastEngine/Kernels", swiftSettings: hotKernels),
        .target(name: "FastNetwork", dependencies: ["Tensors", "VGG", "Kernels"], path: "Sources/FastEngine/FastNetwork", swiftSettings: optimizedInDebug),
        .target(name: "FastOptimisers", dependencies: ["Optimisers", "Kernels"], path: "Sources/FastEngine/FastOptimisers", swiftSettings: optimizedInDebug),
        .target(name: "FastLosses", dependencies: ["Tensors", "Parallel", "VGG", "Optimisers", "ContentRepresentation", "StyleRepresentation", "StyleDistribution", "StyleTransfer", "PerceptualControl", "Kernels", "FastNetwork"], path: "Sources/FastEngine/FastLosses", swiftSettings: optimizedInDebug),
        .target(name: "FastTransformationNetwork", dependencies: ["Tensors", "Parallel", "VGG", "Optimisers", "StyleRepresentation", "StyleTransfer", "Kernels", "FastNetwork", "FastLosses", "TransformationNetwork"], path: "Sources/FastEngine/FastTransformationNetwork", swiftSettings: optimizedInDebug),
        .target(name: "FastOpticalFlow", dependencies: ["Parallel", "VideoStyleTransfer"], path: "Sources/FastEngine/FastOpticalFlow", swiftSettings: optimizedInDebug),
        .target(name: "StyleTransferRun", dependencies: ["Tensors", "Pictures", "VGG", "Optimisers", "StyleTransfer", "PerceptualControl", "FastNetwork", "FastOptimisers", "FastLosses"], path: "Sources/FastEngine/StyleTransferRun", swiftSettings: optimizedInDebug),
        .target(name: "VideoRun", dependencies: ["Tensors", "Pictures", "Optimisers", "VideoStyleTransfer", "FastNetwork", "FastLosses", "FastOpticalFlow", "StyleTransferRun"], path: "Sources/FastEngine/VideoRun", swiftSettings: optimizedInDebug),

        // Program support, by audience: the one argument convention (every program); the demos'
        // output folders and illustrations (the demos); what every program that runs VGG needs (the
        // weights, pictures read with one-line errors, progress); the style-transfer command's options
        // and rules; the style-video command's, and what it says.
        .target(name: "CommandLineArguments", path: "Sources/ProgramSupport/CommandLineArguments", swiftSettings: standard),
        .target(name: "DemoSupport", dependencies: ["AtomicFiles", "Pictures", "ImageFiles", "CommandLineArguments"], path: "Sources/ProgramSupport/DemoSupport", swiftSettings: standard),
        .target(name: "NetworkPrograms", dependencies: ["Tensors", "Pictures", "ImageFiles", "WeightFiles", "Fetching", "VGG", "Kernels", "CommandLineArguments"], path: "Sources/ProgramSupport/NetworkPrograms", swiftSettings: standard),
        .target(name: "LivePreview", dependencies: ["ImageFiles", "HTTPMessages"], path: "Sources/ProgramSupport/LivePreview", swiftSettings: standard),
        .target(name: "StyleTransferCommand", dependencies: ["Tensors", "Pictures", "ImageFiles", "Fetching", "VGG", "StyleRepresentation", "StyleTransfer", "PerceptualControl", "FastLosses", "StyleTransferRun", "CommandLineArguments", "NetworkPrograms", "LivePreview"], path: "Sources/ProgramSupport/StyleTransferCommand", swiftSettings: standard),
        .target(name: "StyleVideoCommand", dependencies: ["Pictures", "ImageFiles", "VGG", "StyleTransfer", "PerceptualControl", "FastLosses", "StyleTransferRun", "VideoRun", "CommandLineArguments", "NetworkPrograms", "StyleTransferCommand"], path: "Sources/ProgramSupport/StyleVideoCommand", swiftSettings: standard),

        // Testing support: the one numerical gradient check, and what the tests share.
        .target(name: "GradientChecking", path: "Sources/Testing/GradientChecking", swiftSettings: optimizedInDebug),
        .target(name: "TestSupport", dependencies: ["Tensors", "Fetching", "VGG", "Optimisers", "GradientChecking"], path: "Sources/Testing/TestSupport", swiftSettings: standard),

        // The programs: thin executables over the library code. The demos of chapters 1-5 build no
        // engine; those of chapters 6-10, style-transfer and the benchmark import the chapter for the
        // concept and the engine for the work.
        .executableTarget(name: "benchmark", dependencies: ["Parallel", "Tensors", "Pictures", "VGG", "StyleTransfer", "Kernels", "FastNetwork", "FastLosses", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/benchmark", swiftSettings: standard),
        .executableTarget(name: "compression-benchmark", dependencies: ["Compression", "ImageFiles", "CommandLineArguments"], path: "Sources/Programs/compression-benchmark", swiftSettings: standard),
        .executableTarget(name: "contact-sheet", dependencies: ["Pictures", "ImageFiles", "CommandLineArguments"], path: "Sources/Programs/contact-sheet", swiftSettings: standard),
        .executableTarget(name: "content-demo", dependencies: ["Tensors", "Pictures", "ImageFiles", "Fetching", "VGG", "Optimisers", "ContentRepresentation", "FastNetwork", "FastOptimisers", "FastLosses", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/content-demo", swiftSettings: standard),
        .executableTarget(name: "convolutional-network-demo", dependencies: ["Tensors", "GeneratedShapes", "Pictures", "ConvolutionalNeuralNetwork", "DemoSupport"], path: "Sources/Programs/convolutional-network-demo", swiftSettings: standard),
        .executableTarget(name: "deep-network-demo", dependencies: ["Tensors", "GeneratedShapes", "Pictures", "DeepNetwork", "DemoSupport"], path: "Sources/Programs/deep-network-demo", swiftSettings: standard),
        .executableTarget(name: "fetch-samples", dependencies: ["Fetching", "CommandLineArguments"], path: "Sources/Programs/fetch-samples", swiftSettings: standard),
        .executableTarget(name: "image-convert", dependencies: ["ImageFiles", "CommandLineArguments"], path: "Sources/Programs/image-convert", swiftSettings: standard),
        .executableTarget(name: "images-demo", dependencies: ["Compression", "Pictures", "ImageFiles", "Fetching", "DemoSupport"], path: "Sources/Programs/images-demo", swiftSettings: standard),
        .executableTarget(name: "jpeg-demo", dependencies: ["Pictures", "ImageFiles", "Fetching", "CommandLineArguments", "DemoSupport"], path: "Sources/Programs/jpeg-demo", swiftSettings: standard),
        .executableTarget(name: "loss-chart", dependencies: ["Pictures", "ImageFiles", "StyleTransfer", "CommandLineArguments"], path: "Sources/Programs/loss-chart", swiftSettings: standard),
        .executableTarget(name: "make-samples", dependencies: ["Pictures", "ImageFiles", "CommandLineArguments"], path: "Sources/Programs/make-samples", swiftSettings: standard),
        .executableTarget(name: "perceptron-demo", dependencies: ["Pictures", "Perceptron", "DemoSupport"], path: "Sources/Programs/perceptron-demo", swiftSettings: standard),
        .executableTarget(name: "style-distribution-demo", dependencies: ["Tensors", "Pictures", "Fetching", "VGG", "StyleTransfer", "StyleDistribution", "FastNetwork", "FastLosses", "StyleTransferRun", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/style-distribution-demo", swiftSettings: standard),
        .executableTarget(name: "perceptual-control-demo", dependencies: ["Tensors", "Pictures", "ImageFiles", "Fetching", "VGG", "StyleRepresentation", "StyleTransfer", "PerceptualControl", "FastNetwork", "FastLosses", "StyleTransferRun", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/perceptual-control-demo", swiftSettings: standard),
        .executableTarget(name: "pooling-demo", dependencies: ["Tensors", "GeneratedShapes", "Pictures", "SharedWeights", "PoolingLayers", "DemoSupport"], path: "Sources/Programs/pooling-demo", swiftSettings: standard),
        .executableTarget(name: "receptive-field-demo", dependencies: ["GeneratedShapes", "Pictures", "LocalReceptiveFields", "DemoSupport"], path: "Sources/Programs/receptive-field-demo", swiftSettings: standard),
        .executableTarget(name: "shared-weights-demo", dependencies: ["Tensors", "GeneratedShapes", "Pictures", "SharedWeights", "DemoSupport"], path: "Sources/Programs/shared-weights-demo", swiftSettings: standard),
        .executableTarget(name: "style-demo", dependencies: ["Tensors", "Pictures", "ImageFiles", "VGG", "Optimisers", "StyleRepresentation", "Kernels", "FastNetwork", "FastLosses", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/style-demo", swiftSettings: standard),
        .executableTarget(name: "style-video", dependencies: ["LivePreview", "AtomicFiles", "Pictures", "PerceptualControl", "FastNetwork", "VideoRun", "NetworkPrograms", "StyleTransferCommand", "StyleVideoCommand"], path: "Sources/Programs/style-video", swiftSettings: standard),
        .executableTarget(name: "style-apply", dependencies: ["Tensors", "Pictures", "ImageFiles", "AtomicFiles", "Fetching", "TransformationNetwork", "FastTransformationNetwork", "StyleTransferRun", "StyleTransferCommand", "CommandLineArguments", "NetworkPrograms"], path: "Sources/Programs/style-apply", swiftSettings: standard),
        .executableTarget(name: "style-train", dependencies: ["LivePreview", "Tensors", "Pictures", "ImageFiles", "AtomicFiles", "Fetching", "VGG", "StyleTransfer", "TransformationNetwork", "FastNetwork", "FastLosses", "FastTransformationNetwork", "StyleTransferRun", "StyleTransferCommand", "CommandLineArguments", "NetworkPrograms"], path: "Sources/Programs/style-train", swiftSettings: standard),
        .executableTarget(name: "style-transfer", dependencies: ["LivePreview", "Tensors", "AtomicFiles", "Pictures", "ImageFiles", "VGG", "StyleTransfer", "FastNetwork", "StyleTransferRun", "CommandLineArguments", "NetworkPrograms", "StyleTransferCommand"], path: "Sources/Programs/style-transfer", swiftSettings: standard),
        .executableTarget(name: "video-demo", dependencies: ["Tensors", "Pictures", "ImageFiles", "Fetching", "FastNetwork", "StyleTransferRun", "VideoStyleTransfer", "FastOpticalFlow", "VideoRun", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/video-demo", swiftSettings: standard),
        .executableTarget(name: "transformation-network-demo", dependencies: ["Tensors", "Pictures", "ImageFiles", "Fetching", "TransformationNetwork", "FastNetwork", "FastTransformationNetwork", "StyleTransferRun", "StyleTransferCommand", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/transformation-network-demo", swiftSettings: standard),
        .executableTarget(name: "vgg-demo", dependencies: ["Tensors", "Pictures", "ImageFiles", "Fetching", "VGG", "Kernels", "FastNetwork", "CommandLineArguments", "DemoSupport", "NetworkPrograms"], path: "Sources/Programs/vgg-demo", swiftSettings: standard),

        // Tests, beside what they test: Tests/ mirrors Sources/. Those of the engine compare each fast
        // piece with its chapter twin; .ci/run also runs the engine's and the parsers' in a release build.
        .testTarget(name: "PerceptronTests", dependencies: ["Perceptron", "GradientChecking"], path: "Tests/Chapters/01-Perceptron", swiftSettings: optimizedInDebug),
        .testTarget(name: "DeepNetworkTests", dependencies: ["Tensors", "GeneratedShapes", "DeepNetwork", "GradientChecking"], path: "Tests/Chapters/02-DeepNetwork", swiftSettings: optimizedInDebug),
        .testTarget(name: "ConvolutionalNeuralNetworkTests", dependencies: ["SeededRandom", "Tensors", "GeneratedShapes", "ConvolutionalNeuralNetwork"], path: "Tests/Chapters/02b-ConvolutionalNeuralNetwork", swiftSettings: optimizedInDebug),
        .testTarget(name: "LocalReceptiveFieldsTests", dependencies: ["Pictures", "LocalReceptiveFields"], path: "Tests/Chapters/03-LocalReceptiveFields", swiftSettings: optimizedInDebug),
        .testTarget(name: "SharedWeightsTests", dependencies: ["Tensors", "GeneratedShapes", "SharedWeights"], path: "Tests/Chapters/04-SharedWeights", swiftSettings: optimizedInDebug),
        .testTarget(name: "PoolingLayersTests", dependencies: ["Tensors", "GeneratedShapes", "PoolingLayers", "GradientChecking"], path: "Tests/Chapters/05-PoolingLayers", swiftSettings: optimizedInDebug),
        .testTarget(name: "VGGTests", dependencies: ["Tensors", "VGG", "GradientChecking", "TestSupport"], path: "Tests/Chapters/06-VGG", exclude: ["Fixtures"], swiftSettings: optimizedInDebug),
        .testTarget(name: "OptimisersTests", dependencies: ["Tensors", "VGG", "Optimisers"], path: "Tests/Chapters/06b-Optimisers", swiftSettings: optimizedInDebug),
        .testTarget(name: "ContentRepresentationTests", dependencies: ["Tensors", "VGG", "ContentRepresentation", "GradientChecking", "TestSupport"], path: "Tests/Chapters/07-ContentRepresentation", swiftSettings: optimizedInDebug),
        .testTarget(name: "StyleDistributionTests", dependencies: ["SeededRandom", "Tensors", "Optimisers", "StyleRepresentation", "StyleDistribution", "GradientChecking"], path: "Tests/Chapters/08b-StyleAsDistribution", swiftSettings: optimizedInDebug),
        .testTarget(name: "StyleRepresentationTests", dependencies: ["SeededRandom", "Tensors", "VGG", "StyleRepresentation", "GradientChecking", "TestSupport"], path: "Tests/Chapters/08-StyleRepresentation", swiftSettings: optimizedInDebug),
        .testTarget(name: "StyleTransferTests", dependencies: ["Tensors", "VGG", "Optimisers", "StyleRepresentation", "StyleTransfer", "GradientChecking", "TestSupport"], path: "Tests/Chapters/09-StyleTransfer", swiftSettings: optimizedInDebug),
        .testTarget(name: "PerceptualControlTests", dependencies: ["SeededRandom", "Tensors", "Pictures", "VGG", "StyleRepresentation", "StyleTransfer", "PerceptualControl", "GradientChecking"], path: "Tests/Chapters/10-PerceptualControl", swiftSettings: optimizedInDebug),
        .testTarget(name: "VideoStyleTransferTests", dependencies: ["Tensors", "Pictures", "ImageFiles", "VideoStyleTransfer", "GradientChecking", "TestSupport"], path: "Tests/Chapters/11-VideoStyleTransfer", swiftSettings: optimizedInDebug),
        .testTarget(name: "TransformationNetworkTests", dependencies: ["Tensors", "WeightFiles", "VGG", "Optimisers", "StyleRepresentation", "StyleDistribution", "StyleTransfer", "TransformationNetwork", "GradientChecking"], path: "Tests/Chapters/12-TransformationNetwork", swiftSettings: optimizedInDebug),
        .testTarget(name: "NotebookTests", dependencies: ["TestSupport"], path: "Tests/Chapters/Notebooks", swiftSettings: standard),
        .testTarget(name: "FastLossesTests", dependencies: ["StyleDistribution", "Tensors", "Pictures", "ImageFiles", "Fetching", "VGG", "Optimisers", "ContentRepresentation", "StyleRepresentation", "StyleTransfer", "PerceptualControl", "Kernels", "FastNetwork", "FastLosses", "StyleTransferRun", "TestSupport"], path: "Tests/FastEngine/FastLosses", swiftSettings: optimizedInDebug),
        .testTarget(name: "FastNetworkTests", dependencies: ["Tensors", "VGG", "FastNetwork", "TestSupport"], path: "Tests/FastEngine/FastNetwork", swiftSettings: optimizedInDebug),
        .testTarget(name: "FastOptimisersTests", dependencies: ["Tensors", "Optimisers", "Kernels", "FastOptimisers"], path: "Tests/FastEngine/FastOptimisers", swiftSettings: optimizedInDebug),
        .testTarget(name: "KernelsTests", dependencies: ["Parallel", "SeededRandom", "Tensors", "StyleRepresentation", "StyleDistribution", "StyleTransfer", "PerceptualControl", "Kernels", "TestSupport"], path: "Tests/FastEngine/Kernels", swiftSettings: optimizedInDebug),
        .testTarget(name: "FastTransformationNetworkTests", dependencies: ["Tensors", "VGG", "StyleRepresentation", "StyleDistribution", "StyleTransfer", "Kernels", "FastNetwork", "FastLosses", "TransformationNetwork", "FastTransformationNetwork", "TestSupport"], path: "Tests/FastEngine/FastTransformationNetwork", swiftSettings: optimizedInDebug),
        .testTarget(name: "FastOpticalFlowTests", dependencies: ["Pictures", "ImageFiles", "VideoStyleTransfer", "FastOpticalFlow", "TestSupport"], path: "Tests/FastEngine/FastOpticalFlow", swiftSettings: optimizedInDebug),
        .testTarget(name: "StyleTransferRunTests", dependencies: ["Tensors", "Pictures", "VGG", "Optimisers", "StyleRepresentation", "StyleTransfer", "PerceptualControl", "FastNetwork", "FastOptimisers", "FastLosses", "StyleTransferRun", "TestSupport"], path: "Tests/FastEngine/StyleTransferRun", exclude: ["Fixtures"], swiftSettings: optimizedInDebug),
        .testTarget(name: "CompressionTests", dependencies: ["SeededRandom", "Compression"], path: "Tests/Formats/Compression", swiftSettings: standard),
        .testTarget(name: "FetchingTests", dependencies: ["Compression", "Fetching"], path: "Tests/Formats/Fetching", swiftSettings: standard),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["Compression", "FuzzTargets", "TestSupport"], path: "Tests/Formats/FuzzRegression", swiftSettings: standard),
        .testTarget(name: "ImageFilesTests", dependencies: ["SeededRandom", "Compression", "Pictures", "ImageFiles", "TestSupport"], path: "Tests/Formats/ImageFiles", resources: [.copy("PngSuite"), .copy("JPEG")], swiftSettings: standard),
        .testTarget(name: "PicturesTests", dependencies: ["Pictures"], path: "Tests/Formats/Pictures", swiftSettings: standard),
        .testTarget(name: "WeightFilesTests", dependencies: ["SeededRandom", "Tensors", "WeightFiles", "VGG"], path: "Tests/Formats/WeightFiles", swiftSettings: standard),
        .testTarget(name: "GeneratedShapesTests", dependencies: ["GeneratedShapes"], path: "Tests/Foundations/GeneratedShapes", swiftSettings: standard),
        .testTarget(name: "ParallelTests", dependencies: ["Parallel"], path: "Tests/Foundations/Parallel", swiftSettings: standard),
        .testTarget(name: "TensorsTests", dependencies: ["SeededRandom", "Tensors", "GradientChecking"], path: "Tests/Foundations/Tensors", swiftSettings: standard),
        .testTarget(name: "CommandLineArgumentsTests", dependencies: ["CommandLineArguments"], path: "Tests/ProgramSupport/CommandLineArguments", swiftSettings: standard),
        .testTarget(name: "HTTPMessagesTests", dependencies: ["HTTPMessages"], path: "Tests/Formats/HTTPMessages", swiftSettings: standard),
        .testTarget(name: "LivePreviewTests", dependencies: ["HTTPMessages", "LivePreview", "Pictures", "ImageFiles"], path: "Tests/ProgramSupport/LivePreview", swiftSettings: standard),
        .testTarget(name: "StyleTransferCommandTests", dependencies: ["Pictures", "VGG", "StyleRepresentation", "StyleTransfer", "PerceptualControl", "FastLosses", "StyleTransferRun", "CommandLineArguments", "NetworkPrograms", "StyleTransferCommand"], path: "Tests/ProgramSupport/StyleTransferCommand", swiftSettings: standard),
        .testTarget(name: "ExecutableTests", dependencies: ["Tensors", "TransformationNetwork", "LivePreview", "TestSupport"], path: "Tests/Programs/Executables", swiftSettings: standard),
        .testTarget(name: "GradientCheckingTests", dependencies: ["GradientChecking"], path: "Tests/Testing/GradientChecking", swiftSettings: standard),
    ]
)
