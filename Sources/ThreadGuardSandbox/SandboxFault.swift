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
}

extension SandboxState {
    /// Queues faults for the next requests.
    public func inject(_ faults: [SandboxFault]) { pendingFaults += faults }

    func nextFault() -> SandboxFault? {
        pendingFaults.isEmpty ? nil : pendingFaults.removeFirst()
    }
}

extension FacebookRoutes {
    /// The response for the next queued fault, if any.
    static func faultResponse(_ state: SandboxState) async -> Response? {
        guard let fault = await state.nextFault() else { return nil }
        switch fault {
        case .rateLimit(let retryAfter):
            var response = graphError(status: .tooManyRequests, code: 4, type: "OAuthException", message: "(#4) Application request limit reached")
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            response.headers[HTTPField.Name("X-App-Usage")!] = #"{"call_count":100,"total_cputime":40,"total_time":60}"#
            return response
        case .serverError:
            return graphError(status: .internalServerError, code: 1, type: "OAuthException", message: "An unknown error occurred")
        case .truncatedJSON:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"data": [{"id": "1", "message": "cut of"#)))
        case .htmlError:
            return Response(status: .badGateway, headers: [.contentType: "text/html"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1></body></html>")))
        case .expiredToken:
            return graphError(status: .badRequest, code: 190, type: "OAuthException", message: "Error validating access token: Session has expired.")
        }
    }
}
