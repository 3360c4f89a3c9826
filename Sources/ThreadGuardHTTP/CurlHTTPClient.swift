import CCurl
import Foundation

/// The libcurl client: one multi handle driven by a dedicated thread; `send` is safe from many tasks at once.
/// Callers park on continuations; new work wakes the thread with `curl_multi_wakeup`.
public final class CurlHTTPClient: HTTPTransport, @unchecked Sendable {
    public let configuration: HTTPClientConfiguration
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    // Guarded by `lock`:
    private var incoming: [CurlTransfer] = []
    private var cancelled: Set<UInt64> = []
    private var stopping = false
    private var nextID: UInt64 = 0
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    // Owned by the curl thread:
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        Self.globalInit
        self.configuration = configuration
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        let thread = Thread { [unowned self] in self.runLoop() }
        thread.name = "threadguard.curl"
        self.thread = thread
        thread.start()
    }

    deinit {
        shutdown()
        curl_multi_cleanup(multi)
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    /// Fails every request still in flight with `.shutDown` and stops the thread. Idempotent.
    public func shutdown() {
        lock.lock()
        let wasRunning = !stopping && thread != nil
        stopping = true
        lock.unlock()
        guard wasRunning else { return }
        curl_multi_wakeup(multi)
        stopped.wait()
    }

    public func send(_ request: OutgoingRequest) async throws -> IncomingResponse {
        guard let components = URLComponents(string: request.url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", components.host != nil
        else { throw HTTPClientError.invalidURL("expected an http or https URL with a host") }
        let id = lock.withLock { () -> UInt64 in
            nextID += 1
            return nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let transfer = CurlTransfer(
                    id: id, request: request, maxBytes: configuration.maxResponseBytes, continuation: continuation)
                let accepted = lock.withLock { () -> Bool in
                    guard !stopping else { return false }
                    incoming.append(transfer)
                    return true
                }
                if accepted {
                    curl_multi_wakeup(multi)
                } else {
                    continuation.resume(throwing: HTTPClientError.shutDown)
                }
            }
        } onCancel: {
            lock.withLock { _ = cancelled.insert(id) }
            curl_multi_wakeup(multi)
        }
    }

    // MARK: The curl thread

    private func runLoop() {
        var running: Int32 = 0
        while true {
            let (newTransfers, cancelledIDs, stop) = lock.withLock { () -> ([CurlTransfer], Set<UInt64>, Bool) in
                defer { incoming.removeAll(); cancelled.removeAll() }
                return (incoming, cancelled, stopping)
            }
            if stop {
                for transfer in newTransfers { transfer.continuation.resume(throwing: HTTPClientError.shutDown) }
                for (_, transfer) in active { finish(transfer, with: .failure(HTTPClientError.shutDown)) }
                stopped.signal()
                return
            }
            for transfer in newTransfers {
                if cancelledIDs.contains(transfer.id) {
                    transfer.continuation.resume(throwing: CancellationError())
                } else {
                    start(transfer)
                }
            }
            for (_, transfer) in active where cancelledIDs.contains(transfer.id) {
                finish(transfer, with: .failure(CancellationError()))
            }
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ transfer: CurlTransfer) {
        guard let handle = curl_easy_init() else {
            transfer.continuation.resume(throwing: HTTPClientError.transport(
                host: transfer.request.hostForMessages, code: -1, reason: "curl_easy_init failed"))
            return
        }
        transfer.handle = handle
        configure(handle, for: transfer)
        active[handle] = transfer
        curl_multi_add_handle(multi, handle)
    }

    private func configure(_ handle: UnsafeMutableRawPointer, for transfer: CurlTransfer) {
        let request = transfer.request
        let config = configuration
        tg_setopt_string(handle, CURLOPT_URL, request.url)
        tg_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        tg_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        tg_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, config.connectTimeoutMilliseconds)
        tg_setopt_long(handle, CURLOPT_TIMEOUT_MS, config.totalTimeoutMilliseconds)
        tg_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(config.maxResponseBytes))
        tg_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding curl supports: gzip, deflate…
        tg_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        tg_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = config.caFile { tg_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        tg_setopt_string(handle, CURLOPT_USERAGENT, config.userAgent)
        let method = request.method.uppercased()
        if method == "HEAD" {
            tg_setopt_long(handle, CURLOPT_NOBODY, 1)
        } else if method != "GET" || request.body != nil {
            tg_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        if let body = request.body {
            tg_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeBytes { raw in
                _ = tg_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { list = curl_slist_append(list, "\(header.name): \(header.value)") }
        if request.body != nil, !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        }
        transfer.headerList = list
        if let list { tg_setopt_slist(handle, CURLOPT_HTTPHEADER, list) }
        let userdata = Unmanaged.passUnretained(transfer).toOpaque()
        tg_setopt_write_callback(handle, curlWriteBody)
        tg_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata)
        tg_setopt_header_callback(handle, curlWriteHeader)
        tg_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata)
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard tg_msg_is_done(message) != 0, let handle = message.pointee.easy_handle,
                  let transfer = active[handle]
            else { continue }
            let code = tg_msg_result(message)
            if code == CURLE_OK {
                var status = 0
                tg_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
                finish(transfer, with: .success(IncomingResponse(status: status, headers: transfer.headers, body: transfer.body)))
            } else {
                finish(transfer, with: .failure(error(for: code, transfer: transfer)))
            }
        }
    }

    private func finish(_ transfer: CurlTransfer, with result: Result<IncomingResponse, any Error>) {
        if let handle = transfer.handle {
            curl_multi_remove_handle(multi, handle)
            active[handle] = nil
        }
        transfer.releaseHandle()
        transfer.continuation.resume(with: result)
    }

    private func error(for code: CURLcode, transfer: CurlTransfer) -> HTTPClientError {
        let host = transfer.request.hostForMessages
        let reason = String(cString: curl_easy_strerror(code))
        if transfer.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .tooLarge(host: host, limitBytes: configuration.maxResponseBytes)
        }
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .cannotConnect(host: host, reason: reason)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(host: host, afterMilliseconds: configuration.totalTimeoutMilliseconds)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls(host: host, reason: reason)
        default:
            return .transport(host: host, code: Int(code.rawValue), reason: reason)
        }
    }
}
