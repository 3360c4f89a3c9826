import Foundation
import ThreadGuardCore

extension SandboxState {
    /// The account's world on a platform (the first with that platform when `id` is nil).
    func world(platform: Platform, account id: String?) -> SandboxWorld? {
        if let id, let world = world(forAccount: id), world.platform == platform { return world }
        if id == nil { return allWorlds.first { $0.platform == platform } }
        // Handles and ids both name an account (Reddit users by name, Mastodon by id).
        return allWorlds.first { $0.platform == platform && ($0.accountID.lowercased() == id!.lowercased() || $0.accountName.lowercased() == id!.lowercased()) }
    }

    /// The comment's direct replies, oldest first.
    func replies(of id: String) -> [SandboxWorld.Comment] {
        guard let comment = comment(id) else { return [] }
        return comments(ofPost: comment.postID).filter { $0.parentID == id }
    }

    /// Records an action that creates something (a public reply, a direct message, a report) and returns its id.
    func created(platform: Platform, kind: String, target: String, text: String?) -> String {
        let id = "\(platform.rawValue)-msg-\(nextMessageID)"
        nextMessageID += 1
        // A second public reply to the same comment is a client bug, like a second private one.
        if kind == "public_reply" { _ = noteReply(key: "public:\(target)") }
        record(SandboxAction(platform: platform.rawValue, kind: kind, target: target, text: text))
        return id
    }

    /// Private replies are remembered per comment (Meta allows one) or per recipient and text (direct messages).
    func noteReply(key: String) -> Bool {
        if replied.contains(key) {
            noteDuplicateReply()
            return false
        }
        replied.insert(key)
        return true
    }

    func hasReplied(key: String) -> Bool { replied.contains(key) }

    func removeComment(_ id: String) -> Bool {
        guard comment(id) != nil else { return false }
        let platform = comment(id).flatMap { c in allWorlds.first { $0.comments.contains { $0.id == c.id } }?.platform } ?? .facebook
        record(SandboxAction(platform: platform.rawValue, kind: "delete", target: id))
        return true
    }
}

/// Direct messages a sandbox received, per recipient (X's dm_events, Reddit's sent box).
struct SentMessage: Sendable {
    var id: String
    var text: String
}

extension SandboxState {
    func rememberMessage(to recipient: String, text: String, id: String) {
        sentMessages[recipient, default: []].append(SentMessage(id: id, text: text))
    }

    func messages(to recipient: String) -> [SentMessage] { sentMessages[recipient] ?? [] }
}

extension SandboxState {
    /// Counts a request against the platform's own rate-limit window as well as the total.
    func countRequest(on platform: Platform) async {
        perPlatform[platform, default: 0] += 1
        await countRequest()
    }

    /// Requests this platform has answered (its rate-limit headers count these).
    public func requests(on platform: Platform) -> Int { perPlatform[platform] ?? 0 }
}
