import Crypto
import Foundation
import ThreadGuardConnect
import ThreadGuardCore

/// Meta's push delivery (Facebook Page `feed` and Instagram `comments` webhooks): the subscription handshake, the
/// `X-Hub-Signature-256` check, and the comments a payload carries, as the items polling would store.
public enum MetaWebhook {
    /// The answer to Meta's subscription handshake (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`):
    /// the challenge when the token is ours, nil otherwise.
    public static func handshake(mode: String?, token: String?, challenge: String?, expectedToken: String) -> String? {
        guard mode == "subscribe", let token, let challenge, !expectedToken.isEmpty,
              constantTimeEqual(Array(token.utf8), Array(expectedToken.utf8)), challenge.count <= 256 else { return nil }
        return challenge
    }

    /// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of the exact body bytes under the app secret.
    public static func signatureValid(body: Data, header: String?, appSecret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), !appSecret.isEmpty else { return false }
        let given = Array(header.dropFirst(7).lowercased().utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
        let expected = Array(mac.map { String(format: "%02x", $0) }.joined().utf8)
        return constantTimeEqual(given, expected)
    }

    /// `sha256=<hex>` for a body (the sandbox's sender and tests sign with it).
    public static func signature(body: Data, appSecret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for k in a.indices { difference |= a[k] ^ b[k] }
        return difference == 0
    }

    /// The new comments of one delivery, grouped by the configured source they belong to (the page or Instagram
    /// account the entry names). Entries for accounts nobody configured are counted, not stored.
    public struct Delivery: Sendable {
        public var items: [String: [Item]] = [:]
        public var unknownAccounts = 0
        public var ignoredChanges = 0
    }

    public enum ParseError: Error, Equatable { case notJSON, notAWebhook }

    public static func parse(_ body: Data, sources: [SourceConfig], now: Date = Date()) throws -> Delivery {
        guard let root = JSONValue.parse(body) else { throw ParseError.notJSON }
        guard let object = root["object"]?.text, let entries = root["entry"]?.array else { throw ParseError.notAWebhook }
        var delivery = Delivery()
        for entry in entries {
            guard let account = entry["id"]?.text ?? entry["id"]?.number.map({ String(Int64($0)) }) else { continue }
            let connector = object == "instagram" ? "instagram" : "facebook"
            guard let source = sources.first(where: { $0.connector == connector && $0.account == account }) else {
                delivery.unknownAccounts += 1
                continue
            }
            for change in entry["changes"]?.array ?? [] {
                let value = change["value"]
                var item = object == "instagram"
                    ? instagramComment(change["field"]?.text, value, source: source.name, now: now)
                    : facebookComment(change["field"]?.text, value, source: source.name, now: now)
                if item?.authorID == account { item?.isBrand = true }
                if let item { delivery.items[source.name, default: []].append(item) } else { delivery.ignoredChanges += 1 }
            }
        }
        return delivery
    }

    /// A Page `feed` change for a new comment: `{item: comment, verb: add, comment_id, post_id, parent_id, from, message, created_time}`.
    static func facebookComment(_ field: String?, _ value: JSONValue?, source: String, now: Date) -> Item? {
        guard field == "feed", let value, value["item"]?.text == "comment", value["verb"]?.text == "add",
              let id = value["comment_id"]?.text, let post = value["post_id"]?.text, let message = value["message"]?.text else { return nil }
        let parent = value["parent_id"]?.text ?? post
        let created = value["created_time"]?.number.map(Date.init(timeIntervalSince1970:)) ?? now
        return Item(platform: .facebook, platformID: id, kind: parent == post ? .comment : .reply, sourceName: source, threadRootID: post,
                    parentID: parent, authorID: value["from"]?["id"]?.text ?? "", authorName: value["from"]?["name"]?.text ?? "",
                    text: message, createdAt: created, fetchedAt: now, permalink: nil)
    }

    /// An Instagram `comments` change: `{id, text, from: {id, username}, media: {id}, parent_id?}`.
    static func instagramComment(_ field: String?, _ value: JSONValue?, source: String, now: Date) -> Item? {
        guard field == "comments", let value, let id = value["id"]?.text, let text = value["text"]?.text,
              let media = value["media"]?["id"]?.text else { return nil }
        let parent = value["parent_id"]?.text
        return Item(platform: .instagram, platformID: id, kind: parent == nil ? .comment : .reply, sourceName: source, threadRootID: media,
                    parentID: parent ?? media, authorID: value["from"]?["id"]?.text ?? "", authorName: value["from"]?["username"]?.text ?? "",
                    text: text, createdAt: now, fetchedAt: now, permalink: nil)
    }
}
