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

/// The mutable side of a sandbox: its world, the token it accepts, and every action it received.
public actor SandboxState {
    public private(set) var world: SandboxWorld
    public let token: String
    public private(set) var actions: [SandboxAction] = []
    public private(set) var requestCount = 0
    /// Private replies refused because the comment already had one: each is a client bug.
    public private(set) var duplicateReplyAttempts = 0
    /// Added to every response (a fault switch for slow platforms).
    public var delayMilliseconds = 0
    /// Faults to serve, one per request (see `SandboxFault`).
    var pendingFaults: [SandboxFault] = []

    public func setDelay(milliseconds: Int) { delayMilliseconds = milliseconds }

    func noteDuplicateReply() { duplicateReplyAttempts += 1 }
    var nextMessageID = 1
    /// Written as JSON lines as actions arrive, when set.
    let actionLogPath: String?

    public init(world: SandboxWorld, token: String, actionLogPath: String? = nil) {
        self.world = world
        self.token = token
        self.actionLogPath = actionLogPath
        if let actionLogPath { FileManager.default.createFile(atPath: actionLogPath, contents: nil) }
    }

    func countRequest() async {
        requestCount += 1
        if delayMilliseconds > 0 { try? await Task.sleep(nanoseconds: UInt64(delayMilliseconds) * 1_000_000) }
    }

    func comment(_ id: String) -> SandboxWorld.Comment? { world.comments.first { $0.id == id } }

    func post(_ id: String) -> SandboxWorld.Post? { world.posts.first { $0.id == id } }

    func setHidden(_ id: String, _ hidden: Bool) -> Bool {
        guard let index = world.comments.firstIndex(where: { $0.id == id }) else { return false }
        world.comments[index].isHidden = hidden
        record(SandboxAction(platform: world.platform.rawValue, kind: hidden ? "hide" : "unhide", target: id))
        return true
    }

    func privatelyReplied(_ commentID: String) -> Bool {
        actions.contains { $0.kind == "private_reply" && $0.target == commentID }
    }

    func privateReply(to commentID: String, text: String) -> String {
        let id = "m_\(nextMessageID)"
        nextMessageID += 1
        record(SandboxAction(platform: world.platform.rawValue, kind: "private_reply", target: commentID, text: text))
        return id
    }

    /// Adds a comment as if a user had just posted it (for tests of incremental polling).
    public func addComment(_ comment: SandboxWorld.Comment) {
        world.comments.append(comment)
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
