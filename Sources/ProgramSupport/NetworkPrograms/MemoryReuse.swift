// The allocator setting the fast path runs with: every VGG layer allocates large arrays and
// frees them moments later, and by default glibc hands those straight back to the kernel.
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Asks the C allocator to keep freed memory for reuse instead of returning it to the system.
///
/// Every layer allocates large arrays and frees them moments later. By default glibc hands
/// arrays above a threshold straight back to the kernel, so the next layer's array arrives as
/// fresh pages that must be faulted in and zeroed: at 512x512 that was a quarter of a
/// loss+gradient evaluation. Programs that run the network call this once at start-up.
public func keepFreedMemoryForReuse() {
    #if canImport(Glibc)
    // mallopt is glibc's; Swift's Glibc module does not export it, so it is looked up by name.
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    let trimThreshold: Int32 = -1, mmapMax: Int32 = -4   // M_TRIM_THRESHOLD, M_MMAP_MAX in <malloc.h>
    _ = mallopt(mmapMax, 0)                  // large blocks come from the heap, not fresh mappings
    _ = mallopt(trimThreshold, Int32.max)    // and are not trimmed away when freed
    #endif
}
