#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HTTPMessages
import ImageFiles

// `--preview`: a small web server inside the run, so that the user can watch the picture form
// in a browser (appendix D). It lives on a thread of its own and shares with the run only a
// few values behind a lock: the latest event, a way to make the picture, and two requests
// (stop, next scale). The run writes them and goes on; it never waits on the network. The
// server's one thread waits in `poll` for whichever connection is ready, so a slow or vanished
// client holds up nothing: its bytes wait in its own buffer, and a buffer that grows too long,
// or a request that takes too long to arrive, ends that connection.

/// The preview server of one run.
public final class PreviewServer: @unchecked Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// The run's token, which every request must carry.
    public let token: String
    /// The address to open.
    public var address: String { "http://127.0.0.1:\(port)/?token=\(token)" }
    /// The address the socket is bound to, as the system reports it: "127.0.0.1".
    public let boundAddress: String

    /// The most connections open at once (a page holds two or three); more are closed at once.
    public static let maxConnections = 16
    /// Seconds a client has to send its whole request.
    public let requestSeconds: Double
    /// Bytes that may wait unsent to an event stream before its client is taken to have stopped
    /// reading (a single answer, however large, has until its deadline instead).
    public static let unsentLimit = 1 << 20
    /// The picture is encoded at most this often (a few times a second), whatever the asking.
    public static let encodingInterval = 0.25

    let listener: Int32
    let page: [UInt8]
    let limits = HTTPLimits()

    // Shared with the run, behind `lock`.
    let lock = NSLock()
    var event: PreviewEvent
    var generation = 0
    var makePicture: (@Sendable () -> RasterImage)? = nil
    var pictureGeneration = 0
    var stopAsked = false, nextScaleAsked = false
    var closing = false
    var cpuSeconds = 0.0

    // The server thread's own.
    var connections: [Connection] = []
    var encoded: (generation: Int, bytes: [UInt8], at: Double)? = nil
    let finished = DispatchSemaphore(value: 0)

    /// Listens on 127.0.0.1 at `port` (0: one the system chooses) and starts serving, the page
    /// titled with `program`; a client has `requestSeconds` to send its whole request.
    public init(port: Int, program: String, requestSeconds: Double = 5) throws {
        signal(SIGPIPE, SIG_IGN)   // a client gone mid-answer must not end the run
        self.requestSeconds = requestSeconds
        (listener, self.port, boundAddress) = try listeningSocket(port: port)
        token = newToken()
        event = PreviewEvent(program: program)
        page = Array(previewPage(program: program).utf8)
        let thread = Thread { [self] in serve() }
        thread.name = "preview server"
        thread.start()
    }

    // ---- What the run calls: quick, under the lock, never waiting on a client.

    /// The run's state now; every page's event stream gets it.
    public func publish(_ event: PreviewEvent) {
        lock.lock(); defer { lock.unlock() }
        self.event = event
        self.event.picture = pictureGeneration
        generation += 1
    }

    /// The picture now, made only if a page asks for it (`make` runs on the server's thread).
    public func publishPicture(_ make: @escaping @Sendable () -> RasterImage) {
        lock.lock(); defer { lock.unlock() }
        makePicture = make
        pictureGeneration += 1
    }

    /// Whether a page has asked the run to stop.
    public var stopRequested: Bool { lock.lock(); defer { lock.unlock() }; return stopAsked }

    /// Whether a page has asked for the next scale since the last call.
    public func takeNextScaleRequest() -> Bool {
        lock.lock(); defer { lock.unlock() }
        defer { nextScaleAsked = false }
        return nextScaleAsked
    }

    /// The seconds of processor time the server's thread has used.
    public var serverCPUSeconds: Double { lock.lock(); defer { lock.unlock() }; return cpuSeconds }

    /// Tells the pages the run has ended (`message`: what it did), gives their event streams up to
    /// `seconds` to take it, and stops serving.
    public func finish(_ message: String, seconds: Double = 1) {
        lock.lock()
        event.ended = message
        event.nextScaleAvailable = false
        generation += 1
        streamsCaughtUp = false
        lock.unlock()
        let deadline = now() + seconds
        while now() < deadline && !allStreamsSent() { usleep(20_000) }
        lock.lock(); closing = true; lock.unlock()
        finished.wait()
    }

    func allStreamsSent() -> Bool {
        lock.lock(); defer { lock.unlock() }
        return streamsCaughtUp
    }
    var streamsCaughtUp = true

    // ---- The server's thread.

    func serve() {
        let start = threadCPUSeconds()
        var lastKeepAlive = now()
        while true {
            lock.lock()
            let (stop, currentEvent, currentGeneration) = (closing, event, generation)
            lock.unlock()
            if stop { break }
            // Every event stream gets the latest event it has not had (events in between, if
            // it fell behind, are skipped: the page needs only the latest).
            let keepAlive = now() - lastKeepAlive > 15
            if keepAlive { lastKeepAlive = now() }
            var caughtUp = true
            for connection in connections where connection.isEventStream {
                if connection.lastGeneration != currentGeneration {
                    connection.queue(EventStream.event(currentEvent.json))
                    connection.lastGeneration = currentGeneration
                } else if keepAlive {
                    connection.queue(EventStream.keepAlive)
                }
                if connection.unsent > 0 { caughtUp = false }
            }
            var descriptors = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            for connection in connections {
                descriptors.append(pollfd(fd: connection.fd, events: Int16(connection.unsent > 0 ? POLLIN | POLLOUT : POLLIN), revents: 0))
            }
            waitForSockets(&descriptors, milliseconds: 100)
            let time = now()
            if descriptors[0].revents & Int16(POLLIN) != 0 { acceptAll(time) }
            for (connection, descriptor) in zip(connections, descriptors.dropFirst()) {
                if descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { read(connection, time) }
                if descriptor.revents & Int16(POLLOUT) != 0 { connection.send() }
                connection.checkTime(time)
            }
            for connection in connections where connection.isFinished { closeSocket(connection.fd) }
            connections.removeAll { $0.isFinished }
            lock.lock()
            cpuSeconds = threadCPUSeconds() - start
            streamsCaughtUp = caughtUp && generation == currentGeneration
            lock.unlock()
        }
        for connection in connections { closeSocket(connection.fd) }
        connections = []
        closeSocket(listener)
        finished.signal()
    }

    /// Takes every waiting connection; past the limit, closes the newcomers at once.
    func acceptAll(_ time: Double) {
        while let fd = acceptConnection(listener) {
            if connections.count >= Self.maxConnections {
                closeSocket(fd)
            } else {
                connections.append(Connection(fd: fd, deadline: time + requestSeconds))
            }
        }
    }

    /// Reads what `connection` sent; once its request is whole (or refused), queues the answer.
    func read(_ connection: Connection, _ time: Double) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let result = chunk.withUnsafeMutableBytes { receive(connection.fd, into: $0) }
        switch result {
        case .closed: connection.isFinished = true; return
        case .wouldWait: return
        case .moved(let n):
            // After its request, what a client sends is ignored (the answer closes the connection).
            guard !connection.answered else { return }
            connection.inbox += chunk[0..<n]
        }
        switch parseHTTPRequest(connection.inbox, limits: limits) {
        case .incomplete: return
        case .refused(let status, let why): connection.answer(HTTPResponse.text(status, why))
        case .request(let request, _):
            switch route(request, token: token) {
            case .failure(let refusal): connection.answer(refusal.response)
            case .success(let route): answer(connection, route, time)
            }
        }
    }

    /// Answers a request for `route`.
    func answer(_ connection: Connection, _ route: PreviewRoute, _ time: Double) {
        let noStore = [(name: "Cache-Control", value: "no-store"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")]
        switch route {
        case .page:
            connection.answer(HTTPResponse(.ok, headers: noStore + [("Content-Type", "text/html; charset=utf-8"),
                ("Content-Security-Policy", "default-src 'none'; img-src 'self'; connect-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")],
                body: page))
        case .picture:
            guard let bytes = picture(time) else { return connection.answer(.text(.serviceUnavailable, "no picture yet")) }
            connection.answer(HTTPResponse(.ok, headers: noStore + [("Content-Type", "image/png")], body: bytes))
        case .events:
            connection.startEventStream(EventStream.head(headers: Array(noStore.dropFirst())))
        case .stop:
            lock.lock(); stopAsked = true; lock.unlock()
            connection.answer(.text(.accepted, "stopping after this iteration; what the run has made is written"))
        case .nextScale:
            lock.lock()
            let available = event.nextScaleAvailable && event.ended == nil
            if available { nextScaleAsked = true }
            lock.unlock()
            connection.answer(available ? .text(.accepted, "going on to the next scale") : .text(.conflict, "no scale follows this one"))
        }
    }

    /// The picture as PNG: encoded again only if it changed and the last encoding is old enough.
    func picture(_ time: Double) -> [UInt8]? {
        lock.lock()
        let (make, current) = (makePicture, pictureGeneration)
        lock.unlock()
        guard let make else { return nil }
        if let encoded, encoded.generation == current || time - encoded.at < Self.encodingInterval { return encoded.bytes }
        // The fast level: the page reads it over the loopback, where its size hardly matters.
        let bytes = PNGEncoder.encode(make(), level: .fast)
        encoded = (current, bytes, time)
        return bytes
    }
}

/// One client's connection: what it sent, what waits to be sent to it, and its deadline.
final class Connection {
    let fd: Int32
    var inbox: [UInt8] = []
    var outbox: [UInt8] = []
    var sent = 0
    /// By when its request must be whole.
    var deadline: Double
    var answered = false
    var isEventStream = false
    var lastGeneration = -1
    var isFinished = false

    init(fd: Int32, deadline: Double) {
        self.fd = fd
        self.deadline = deadline
    }

    var unsent: Int { outbox.count - sent }

    /// Queues one whole answer; the connection closes once it is sent.
    func answer(_ response: HTTPResponse) {
        answered = true
        queue(response.encoded())
        send()
    }

    /// Queues the event stream's head; the connection stays open.
    func startEventStream(_ head: [UInt8]) {
        answered = true
        isEventStream = true
        queue(head)
    }

    func queue(_ bytes: [UInt8]) {
        if sent > 0 && sent == outbox.count { outbox.removeAll(keepingCapacity: true); sent = 0 }
        outbox += bytes
        if isEventStream && unsent > PreviewServer.unsentLimit { isFinished = true }   // it has stopped reading
    }

    /// Sends what the connection takes now.
    func send() {
        while unsent > 0 {
            let result = outbox.withUnsafeBytes { transmit(fd, UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            switch result {
            case .moved(let n): sent += n
            case .wouldWait: return
            case .closed: isFinished = true; return
            }
        }
        if answered && !isEventStream { isFinished = true }   // the whole answer is out
    }

    /// A request not whole by its deadline is answered 408 and closed.
    func checkTime(_ time: Double) {
        if !answered && time > deadline { answer(.text(.requestTimeout, "the request took too long")) }
        if answered && !isEventStream && time > deadline + 30 { isFinished = true }   // an answer nobody takes
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
