import CCurl
import Foundation
import ThreadGuardCore

/// Where and how to hand mail over: an `smtp://` or `smtps://` server, optional login, STARTTLS required or not.
public struct MailServer: Sendable, Equatable {
    public var url: String
    public var username: String?
    public var password: String?
    /// Upgrade a plain connection with STARTTLS and refuse to go on without it.
    public var requireTLS: Bool
    public var timeoutMilliseconds: Int

    public init(url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = false, timeoutMilliseconds: Int = 20_000) {
        self.url = url
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// Sends one message over SMTP. `CurlMailer` is the real one.
public protocol MailTransport: Sendable {
    func send(from: String, to: [String], message: Data, via server: MailServer) async throws
}

/// Mail over libcurl's SMTP client. Each message is one blocking transfer, run off the caller's thread.
public struct CurlMailer: MailTransport {
    public init() {}

    public func send(from: String, to: [String], message: Data, via server: MailServer) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.sendBlocking(from: from, to: to, message: message, via: server) })
            }
        }
    }

    static func sendBlocking(from: String, to: [String], message: Data, via server: MailServer) throws {
        let host = URLComponents(string: server.url).map { "\($0.host ?? "?")" + ($0.port.map { ":\($0)" } ?? "") } ?? "(unparsed URL)"
        guard let handle = curl_easy_init() else { throw HTTPClientError.transport(host: host, code: -1, reason: "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in to { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        let body = MailBody(message)
        let unmanaged = Unmanaged.passRetained(body)
        defer { unmanaged.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = tg_setopt_string(handle, CURLOPT_URL, server.url)
            _ = tg_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>")
            _ = tg_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
            _ = tg_setopt_long(handle, CURLOPT_UPLOAD, 1)
            _ = tg_setopt_read_callback(handle, mailRead)
            _ = tg_setopt_pointer(handle, CURLOPT_READDATA, unmanaged.toOpaque())
            _ = tg_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
            _ = tg_setopt_long(handle, CURLOPT_TIMEOUT_MS, server.timeoutMilliseconds)
            _ = tg_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = tg_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            if server.requireTLS { _ = tg_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
            if let username = server.username { _ = tg_setopt_string(handle, CURLOPT_USERNAME, username) }
            if let password = server.password { _ = tg_setopt_string(handle, CURLOPT_PASSWORD, password) }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            var response = 0
            _ = tg_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw HTTPClientError.transport(host: host, code: Int(code.rawValue),
                                            reason: scrubAddresses(Redaction.scrub(reason)) + (response > 0 ? " (SMTP \(response))" : ""))
        }
    }
}

/// The message curl reads from, a chunk at a time.
final class MailBody {
    let bytes: Data
    var offset = 0
    init(_ bytes: Data) { self.bytes = bytes }
}

let mailRead: tg_data_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let body = Unmanaged<MailBody>.fromOpaque(userdata).takeUnretainedValue()
    let length = min(size * count, body.bytes.count - body.offset)
    guard length > 0 else { return 0 }
    body.bytes.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(pointer).copyMemory(from: raw.baseAddress! + body.offset, byteCount: length)
    }
    body.offset += length
    return length
}

/// curl's SMTP errors may quote the server's reply line; addresses in it are kept out of logs.
private func scrubAddresses(_ text: String) -> String {
    text.replacingOccurrences(of: #"<?[^\s<>@]+@[^\s<>]+>?"#, with: "<address>", options: .regularExpression)
}
