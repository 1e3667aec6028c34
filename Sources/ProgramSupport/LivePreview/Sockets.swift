#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The few POSIX socket calls the preview makes, where Linux's C library and macOS's differ in
// their Swift spelling. A socket is a file descriptor: `socket` makes one, `bind` gives it an
// address, `listen` lets connections queue, `accept` takes one (a new descriptor for that
// connection), `recv` and `send` move bytes, `close` ends it. Every descriptor here is
// non-blocking: a call that would wait returns at once (EAGAIN), and `poll` says which are ready.

/// Why the preview could not start.
public struct PreviewSocketError: Error, CustomStringConvertible {
    public var description: String
}

/// A socket listening on 127.0.0.1 (the loopback address: only this machine can connect) at
/// `port`, 0 for one the system chooses; its descriptor, the port it got and the address it is
/// bound to (as the system reports it).
func listeningSocket(port: Int) throws -> (descriptor: Int32, port: Int, address: String) {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw PreviewSocketError(description: "cannot make a socket (\(errorText()))") }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = loopbackAddress(port: port)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        let why = errorText()
        closeSocket(fd)
        throw PreviewSocketError(description: "cannot listen on 127.0.0.1:\(port) (\(why))")
    }
    guard listen(fd, 16) == 0, makeNonBlocking(fd) else {
        let why = errorText()
        closeSocket(fd)
        throw PreviewSocketError(description: "cannot listen on 127.0.0.1:\(port) (\(why))")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    let a = UInt32(bigEndian: address.sin_addr.s_addr)
    return (fd, Int(UInt16(bigEndian: address.sin_port)), "\(a >> 24).\(a >> 16 & 255).\(a >> 8 & 255).\(a & 255)")
}

/// 127.0.0.1 at `port`, as the socket calls take an address.
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    #if canImport(Darwin)
    address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port)).bigEndian
    address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian   // 127.0.0.1
    return address
}

/// The other end, for tests and tools: a blocking connection to 127.0.0.1:`port` whose reads
/// give up after `timeout` seconds, or nil if nothing listens there.
public func connectToLoopback(port: Int, timeout: Int = 30) -> Int32? {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { return nil }
    var address = loopbackAddress(port: port)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { closeSocket(fd); return nil }
    var limit = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    return fd
}

/// A connection waiting on `listener`, made non-blocking, or nil when none is.
func acceptConnection(_ listener: Int32) -> Int32? {
    let fd = accept(listener, nil, nil)
    guard fd >= 0 else { return nil }
    guard makeNonBlocking(fd) else { closeSocket(fd); return nil }
    #if canImport(Darwin)
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))   // a vanished client is an error, not a signal
    #endif
    return fd
}

func makeNonBlocking(_ fd: Int32) -> Bool {
    let flags = fcntl(fd, F_GETFL, 0)
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
}

/// What a non-blocking read or write did.
enum Transfer {
    /// Moved this many bytes.
    case moved(Int)
    /// Nothing now: try again when `poll` says so.
    case wouldWait
    /// The other side closed the connection, or it failed.
    case closed
}

/// Reads what has arrived, at most `buffer.count` bytes.
func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Transfer {
    let n = recv(fd, buffer.baseAddress, buffer.count, 0)
    if n > 0 { return .moved(n) }
    if n == 0 { return .closed }
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .wouldWait : .closed
}

/// Writes what the connection will take now of `bytes`.
func transmit(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Transfer {
    #if canImport(Glibc)
    let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))   // a vanished client is an error, not a signal
    #else
    let n = send(fd, bytes.baseAddress, bytes.count, 0)
    #endif
    if n >= 0 { return .moved(n) }
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .wouldWait : .closed
}

public func closeSocket(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}

/// Waits at most `milliseconds` for one of `descriptors` to be ready; their `revents` say which.
func waitForSockets(_ descriptors: inout [pollfd], milliseconds: Int32) {
    _ = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
}

/// The seconds of processor time the calling thread has used.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func errorText() -> String { String(cString: strerror(errno)) }
