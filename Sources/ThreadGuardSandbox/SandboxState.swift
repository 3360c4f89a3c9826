import Foundation
import ThreadGuardCore

/// One action a sandbox platform received, as its action log records it.
public struct SandboxAction: Codable, Sendable, Equatable {
    public var platform: String
    /// "hide", "unhide", "private_reply", "public_reply".
    public var kind: String
    /// The comment acted on.
    public var target: String
    public var text: String?

    public init(platform: String, kind: String, target: String, text: String? = nil) {
        self.platform = platform
        self.kind = kind
        self.target = target
        self.text = text
    }
}

/// The mutable side of a sandbox: its worlds (one per account), the token it accepts, and every action it received.
public actor SandboxState {
    private var worlds: [SandboxWorld]
    private var accountIndex: [String: Int] = [:]
    private var postIndex: [String: Int] = [:]
    private var commentIndex: [String: (world: Int, index: Int)] = [:]
    private var commentsByPost: [String: [Int]] = [:]
    var replied: Set<String> = []
    var sentMessages: [Platform: [String: [SentMessage]]] = [:]
    var perPlatform: [Platform: Int] = [:]
    public let token: String
    public private(set) var actions: [SandboxAction] = []
    public private(set) var requestCount = 0
    /// Private replies refused because the comment already had one: each is a client bug.
    public private(set) var duplicateReplyAttempts = 0
    /// Added to every response (a fault switch for slow platforms).
    public var delayMilliseconds = 0
    /// Faults to serve, one per request (see `SandboxFault`).
    var pendingFaults: [SandboxFault] = []
    /// Requests still answered normally before the pending faults start.
    var faultsAfter = 0
    var nextMessageID = 1
    /// Written as JSON lines as actions arrive, when set.
    let actionLogPath: String?

    /// The first account's world (the demo has one).
    public var world: SandboxWorld { worlds[0] }
    public var allWorlds: [SandboxWorld] { worlds }

    public init(world: SandboxWorld, token: String, actionLogPath: String? = nil) {
        self.init(worlds: [world], token: token, actionLogPath: actionLogPath)
    }

    public init(worlds: [SandboxWorld], token: String, actionLogPath: String? = nil) {
        precondition(!worlds.isEmpty, "a sandbox needs at least one account")
        self.worlds = worlds
        self.token = token
        self.actionLogPath = actionLogPath
        if let actionLogPath { FileManager.default.createFile(atPath: actionLogPath, contents: nil) }
        for (w, world) in worlds.enumerated() {
            accountIndex[world.accountID] = w
            for post in world.posts { postIndex[post.id] = w }
            for (index, comment) in world.comments.enumerated() {
                commentIndex[comment.id] = (w, index)
                commentsByPost[comment.postID, default: []].append(index)
            }
        }
    }

    public func setDelay(milliseconds: Int) { delayMilliseconds = milliseconds }

    func noteDuplicateReply() { duplicateReplyAttempts += 1 }

    func countRequest() async {
        requestCount += 1
        if delayMilliseconds > 0 { try? await Task.sleep(nanoseconds: UInt64(delayMilliseconds) * 1_000_000) }
    }

    func world(forAccount id: String) -> SandboxWorld? { accountIndex[id].map { worlds[$0] } }

    func comment(_ id: String) -> SandboxWorld.Comment? {
        commentIndex[id].map { worlds[$0.world].comments[$0.index] }
    }

    func post(_ id: String) -> SandboxWorld.Post? {
        postIndex[id].flatMap { w in worlds[w].posts.first { $0.id == id } }
    }

    /// The post's comments and replies, oldest first.
    func comments(ofPost id: String) -> [SandboxWorld.Comment] {
        guard let w = postIndex[id] else { return [] }
        return (commentsByPost[id] ?? []).map { worlds[w].comments[$0] }
    }

    func setHidden(_ id: String, _ hidden: Bool, kind: String? = nil) -> Bool {
        guard let (w, index) = commentIndex[id] else { return false }
        worlds[w].comments[index].isHidden = hidden
        record(SandboxAction(platform: worlds[w].platform.rawValue, kind: kind ?? (hidden ? "hide" : "unhide"), target: id))
        return true
    }

    /// Removes a comment for good (spam), as the log records it; false when there is no such comment.
    func removeComment(_ id: String) -> Bool {
        guard let (w, _) = commentIndex[id] else { return false }
        record(SandboxAction(platform: worlds[w].platform.rawValue, kind: "delete", target: id))
        return true
    }

    func privatelyReplied(_ commentID: String) -> Bool { replied.contains(commentID) }

    func privateReply(to commentID: String, text: String) -> String {
        let id = "m_\(nextMessageID)"
        nextMessageID += 1
        replied.insert(commentID)
        let platform = commentIndex[commentID].map { worlds[$0.world].platform.rawValue } ?? worlds[0].platform.rawValue
        record(SandboxAction(platform: platform, kind: "private_reply", target: commentID, text: text))
        return id
    }

    /// Adds a comment as if a user had just posted it (for tests of incremental polling).
    public func addComment(_ comment: SandboxWorld.Comment) {
        let w = postIndex[comment.postID] ?? 0
        worlds[w].comments.append(comment)
        let index = worlds[w].comments.count - 1
        commentIndex[comment.id] = (w, index)
        commentsByPost[comment.postID, default: []].append(index)
    }

    func record(_ action: SandboxAction) {
        actions.append(action)
        guard let actionLogPath, let handle = FileHandle(forWritingAtPath: actionLogPath) else { return }
        handle.seekToEndOfFile()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let line = try? encoder.encode(action) {
            handle.write(line + Data("\n".utf8))
        }
        try? handle.close()
    }
}
