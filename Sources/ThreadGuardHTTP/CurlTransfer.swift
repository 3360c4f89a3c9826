import CCurl
import Foundation

/// One request in flight: its easy handle, the buffers curl writes into, and the waiting caller.
final class CurlTransfer {
    let request: OutgoingRequest
    let maxBytes: Int
    let continuation: CheckedContinuation<IncomingResponse, any Error>
    var handle: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var body = Data()
    var headers: [(name: String, value: String)] = []
    var exceededLimit = false
    let id: UInt64

    init(id: UInt64, request: OutgoingRequest, maxBytes: Int, continuation: CheckedContinuation<IncomingResponse, any Error>) {
        self.id = id
        self.request = request
        self.maxBytes = maxBytes
        self.continuation = continuation
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if body.count + bytes.count > maxBytes {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    func appendHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (after 100-continue or a redirect) starts over
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon])
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers.append((name: name, value: value))
    }

    func releaseHandle() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        if let handle { curl_easy_cleanup(handle) }
        handle = nil
    }
}

/// curl's write callback: `userdata` is the unretained transfer.
let curlWriteBody: tg_data_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    return transfer.appendBody(UnsafeRawBufferPointer(start: pointer, count: length)) ? length : 0
}

/// curl's header callback: one header line per call.
let curlWriteHeader: tg_data_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
    transfer.appendHeaderLine(String(decoding: bytes, as: UTF8.self))
    return length
}
