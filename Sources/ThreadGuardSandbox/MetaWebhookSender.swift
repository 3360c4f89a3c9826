import Crypto
import Foundation
import ThreadGuardCore
import ThreadGuardHTTP

/// The sandbox's Meta webhook sender: new comments delivered as Meta delivers them — a Page `feed` change or an
/// Instagram `comments` change, signed `X-Hub-Signature-256` with the app secret — with Meta's habits on request:
/// a delivery retried when it was not answered 200, and the same delivery sent twice.
public struct MetaWebhookSender: Sendable {
    public let url: String
    public let appSecret: String
    public let http: any HTTPTransport
    /// Attempts per delivery while the receiver does not answer 200 (Meta retries for hours; the sandbox, briefly).
    public var attempts = 3

    public init(url: String, appSecret: String, http: any HTTPTransport) {
        self.url = url
        self.appSecret = appSecret
        self.http = http
    }

    /// A Page `feed` webhook for a new comment, in Meta's shape.
    public static func facebookBody(_ comment: SandboxWorld.Comment, pageID: String, time: Date = Date()) -> Data {
        let value: [String: Any] = [
            "from": ["id": comment.authorID, "name": comment.authorName], "post_id": comment.postID, "comment_id": comment.id,
            "parent_id": comment.parentID ?? comment.postID, "message": comment.message, "item": "comment", "verb": "add",
            "created_time": Int(comment.createdAt.timeIntervalSince1970), "post": ["id": comment.postID, "status_type": "added_photos"],
        ]
        let body: [String: Any] = ["object": "page", "entry": [["id": pageID, "time": Int(time.timeIntervalSince1970),
                                                                 "changes": [["field": "feed", "value": value]]]]]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// An Instagram `comments` webhook, in Meta's shape.
    public static func instagramBody(_ comment: SandboxWorld.Comment, accountID: String, time: Date = Date()) -> Data {
        var value: [String: Any] = [
            "id": comment.id, "text": comment.message, "from": ["id": comment.authorID, "username": comment.authorName],
            "media": ["id": comment.postID, "media_product_type": "FEED"],
        ]
        if let parent = comment.parentID, parent != comment.postID { value["parent_id"] = parent }
        let body: [String: Any] = ["object": "instagram", "entry": [["id": accountID, "time": Int(time.timeIntervalSince1970),
                                                                      "changes": [["field": "comments", "value": value]]]]]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    public static func signature(_ body: Data, secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// Sends one delivery (retrying while the answer is not 200; `duplicate` sends it once more after that, as Meta
    /// sometimes does); the status of the last answer.
    @discardableResult
    public func deliver(_ body: Data, duplicate: Bool = false, signature override: String? = nil) async throws -> Int {
        let request = OutgoingRequest(method: "POST", url: url, headers: [
            ("Content-Type", "application/json"), ("X-Hub-Signature-256", override ?? Self.signature(body, secret: appSecret)),
        ], body: body)
        var status = 0
        for _ in 0..<max(1, attempts) {
            status = try await http.send(request).status
            if status == 200 { break }
            if (400..<500).contains(status) { break }  // refused: retrying the same bytes will not help
        }
        if duplicate { status = try await http.send(request).status }
        return status
    }
}
