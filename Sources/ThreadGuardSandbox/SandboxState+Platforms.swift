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
}

/// Direct messages a sandbox received, per platform and recipient (X's dm_events, Reddit's sent box).
struct SentMessage: Sendable {
    var id: String
    var text: String
}

extension SandboxState {
    func rememberMessage(on platform: Platform, to recipient: String, text: String, id: String) {
        sentMessages[platform, default: [:]][recipient, default: []].append(SentMessage(id: id, text: text))
    }

    func messages(on platform: Platform, to recipient: String) -> [SentMessage] { sentMessages[platform]?[recipient] ?? [] }

    /// Every message sent on a platform, by recipient (Reddit's sent box).
    func allMessages(on platform: Platform) -> [(recipient: String, message: SentMessage)] {
        (sentMessages[platform] ?? [:]).sorted { $0.key < $1.key }.flatMap { entry in entry.value.map { (entry.key, $0) } }
    }
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
