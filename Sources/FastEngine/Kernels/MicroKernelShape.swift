// Which GEMM micro-kernel this machine runs (the kernels themselves are in GEMMKernel.swift).
//
// The choice is made once, from what the processor reports, never from timing, so one machine
// always computes the same numbers: AVX-512 if the CPU has it, else AVX2 with FMA, NEON on
// arm64, and the plain loops anywhere else. The environment variable STYLE_MICROKERNEL
// (avx512, avx2, neon or plain) forces a shape: every shape runs on every machine (the ones
// the CPU lacks are slow, not wrong), so tests and benchmarks can try each.
//
// A build can also be told to use less than the CPU has: Package.swift passes
// `-target-cpu $STYLE_KERNEL_CPU` (default `native`) to the Kernels module, and for a target
// without AVX-512 (haswell, what an AVX2 laptop gets) it defines KERNELS_TARGET_WITHOUT_AVX512,
// so an AVX-512 machine can build and measure exactly what an AVX2 user runs.
import Foundation

/// The register-file shape of the GEMM micro-kernel.
public enum MicroKernelShape: String, CaseIterable, Sendable {
    /// 6 x 64 in SIMD16: 24 of AVX-512's 32 registers of 16 floats.
    case avx512
    /// 6 x 16 in SIMD8: 12 of AVX2's 16 registers of 8 floats.
    case avx2
    /// 6 x 16 in SIMD4: 24 of NEON's 32 registers of 4 floats.
    case neon
    /// 6 x 16 in plain loops.
    case plain

    /// Columns of C per call: a whole 64-column panel, or a 16-column slice of it.
    public var columns: Int { self == .avx512 ? 64 : 16 }

    /// One line for people: the shape and the vectors it uses.
    public var summary: String {
        switch self {
        case .avx512: return "avx512 (6x64 block, 24 SIMD16 accumulators)"
        case .avx2: return "avx2 (6x16 block, 12 SIMD8 accumulators)"
        case .neon: return "neon (6x16 block, 24 SIMD4 accumulators)"
        case .plain: return "plain (6x16 block, scalar loops)"
        }
    }

    /// The shape every fast kernel uses unless told otherwise, with the reason it was chosen.
    public static let selection: (shape: MicroKernelShape, reason: String) = choose(
        environment: ProcessInfo.processInfo.environment["STYLE_MICROKERNEL"], processor: ProcessorFeatures.current)

    /// The shape every fast kernel uses unless told otherwise.
    public static var selected: MicroKernelShape { selection.shape }

    /// The rule: a valid STYLE_MICROKERNEL wins; otherwise the widest shape the processor (and
    /// the build's target) supports. An unknown value is named in the reason and ignored.
    public static func choose(environment: String?, processor: ProcessorFeatures) -> (shape: MicroKernelShape, reason: String) {
        let fromProcessor = processor.bestShape
        let detected = "\(processor.description)"
        guard let forced = environment, !forced.isEmpty else { return (fromProcessor, "chosen from the CPU: \(detected)") }
        if let shape = MicroKernelShape(rawValue: forced.lowercased()) {
            return (shape, "forced by STYLE_MICROKERNEL=\(forced) (the CPU alone would give \(fromProcessor.rawValue))")
        }
        return (fromProcessor, "STYLE_MICROKERNEL=\(forced) is not one of \(allCases.map(\.rawValue).joined(separator: ", ")), "
                + "so ignored; chosen from the CPU: \(detected)")
    }
}

/// What the processor reports about its vector units, and what this build may use of them.
public struct ProcessorFeatures: Sendable, Equatable {
    public var architecture: String
    public var avx512: Bool
    public var avx2: Bool
    public var fma: Bool
    /// The build's target CPU rules out AVX-512 (Package.swift's STYLE_KERNEL_CPU).
    public var buildExcludesAVX512: Bool
    /// The build's target CPU rules out AVX2 as well (x86-64 or x86-64-v2).
    public var buildExcludesAVX2: Bool

    public init(architecture: String, avx512: Bool = false, avx2: Bool = false, fma: Bool = false,
                buildExcludesAVX512: Bool = false, buildExcludesAVX2: Bool = false) {
        self.architecture = architecture
        self.avx512 = avx512
        self.avx2 = avx2
        self.fma = fma
        self.buildExcludesAVX512 = buildExcludesAVX512 || buildExcludesAVX2
        self.buildExcludesAVX2 = buildExcludesAVX2
    }

    /// The widest shape both the processor and the build allow.
    public var bestShape: MicroKernelShape {
        switch architecture {
        case "arm64": return .neon
        case "x86_64":
            if avx512 && !buildExcludesAVX512 { return .avx512 }
            if avx2 && fma && !buildExcludesAVX2 { return .avx2 }
            return .plain
        default: return .plain
        }
    }

    public var description: String {
        switch architecture {
        case "arm64": return "arm64 with NEON"
        case "x86_64":
            var parts: [String] = []
            parts.append(avx512 ? "AVX-512" : "no AVX-512")
            parts.append(avx2 && fma ? "AVX2 and FMA" : "no AVX2/FMA")
            var text = "x86-64, " + parts.joined(separator: ", ")
            if buildExcludesAVX2 { text += "; this build targets no AVX2" } else if buildExcludesAVX512 && avx512 { text += "; this build targets AVX2 only" }
            return text
        default: return architecture
        }
    }

    /// This machine, as its operating system reports it.
    public static let current: ProcessorFeatures = {
        #if arch(arm64)
        return ProcessorFeatures(architecture: "arm64")
        #elseif arch(x86_64)
        var excludesAVX512 = false, excludesAVX2 = false
        #if KERNELS_TARGET_WITHOUT_AVX512
        excludesAVX512 = true
        #endif
        #if KERNELS_TARGET_WITHOUT_AVX2
        excludesAVX2 = true
        #endif
        let flags = x86Flags()
        return ProcessorFeatures(architecture: "x86_64", avx512: flags.contains("avx512f"), avx2: flags.contains("avx2"),
                                 fma: flags.contains("fma"), buildExcludesAVX512: excludesAVX512, buildExcludesAVX2: excludesAVX2)
        #else
        return ProcessorFeatures(architecture: "other")
        #endif
    }()

    /// The x86 feature flags the operating system lists: Linux's /proc/cpuinfo "flags" line, or
    /// macOS's hw.optional sysctls, in Linux's spelling (avx512f, avx2, fma).
    static func x86Flags() -> Set<String> {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        return parseCPUInfoFlags(text)
        #elseif canImport(Darwin)
        var flags = Set<String>()
        for (name, flag) in [("hw.optional.avx512f", "avx512f"), ("hw.optional.avx2_0", "avx2"), ("hw.optional.fma", "fma")] {
            var value: Int32 = 0
            var size = MemoryLayout<Int32>.size
            if sysctlbyname(name, &value, &size, nil, 0) == 0 && value != 0 { flags.insert(flag) }
        }
        return flags
        #else
        return []
        #endif
    }

    /// The flags of the first processor in a /proc/cpuinfo text.
    public static func parseCPUInfoFlags(_ text: String) -> Set<String> {
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }
}
