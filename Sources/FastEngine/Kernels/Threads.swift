// The kernels' threads are the project's one parallel loop (module Parallel: `parallelFor`,
// `kernelThreads`, set by STYLE_THREADS), passed on to every module that imports Kernels.
import Parallel
