import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Faults a sandbox serves instead of the real answer, one per request, in order: what platforms do on a bad day.
public enum SandboxFault: Sendable, Equatable {
    /// HTTP 429, with or without `Retry-After` seconds (Graph's code 4 body).
    case rateLimit(retryAfter: Int?)
    /// HTTP 500 with a Graph error body.
    case serverError
    /// HTTP 200 whose JSON body is cut off.
    case truncatedJSON
    /// HTTP 502 with an HTML page (a proxy's error page).
    case htmlError
    /// HTTP 400, Graph code 190: the token expired.
    case expiredToken
    /// HTTP 400 whose error message echoes the request's address, query string and token included, and `extra`
    /// (text from the request, say a comment): platforms do this, and none of it may reach a log or the database.
    case echoingRequest(extra: String)
}

extension SandboxState {
    /// Queues faults for the next requests.
    public func inject(_ faults: [SandboxFault]) { pendingFaults += faults }

    /// Queues faults for the requests after the next `count` ones (a token that expires in the middle of a poll).
    public func inject(_ faults: [SandboxFault], afterRequests count: Int) {
        faultsAfter = max(0, count)
        pendingFaults += faults
    }

    func nextFault() -> SandboxFault? {
        if faultsAfter > 0 {
            faultsAfter -= 1
            return nil
        }
        return pendingFaults.isEmpty ? nil : pendingFaults.removeFirst()
    }
}

extension FacebookRoutes {
    /// The response for the next queued fault, if any, in Graph's shapes.
    static func faultResponse(_ state: SandboxState, _ request: Request) async -> Response? {
        guard let fault = await state.nextFault() else { return nil }
        return SandboxWire(platform: .facebook).faultResponse(fault, count: await state.requestCount, request: request)
    }
}
