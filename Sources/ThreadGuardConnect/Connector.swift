import Foundation
import ThreadGuardCore

/// One configured account on one platform.
public struct SourceConfig: Sendable, Equatable {
    public var name: String
    public var connector: String
    /// Page, account or channel id on the platform.
    public var account: String
    /// Replaces the manifest's base URL (the sandbox, a proxy).
    public var baseURL: String?
    /// Name of the environment variable holding the token.
    public var tokenEnv: String

    public init(name: String, connector: String, account: String, baseURL: String?, tokenEnv: String) {
        self.name = name
        self.connector = connector
        self.account = account
        self.baseURL = baseURL
        self.tokenEnv = tokenEnv
    }
}

/// A page of items and the cursor that covers it, to be stored together.
public struct FetchedPage: Sendable {
    public var stream: String
    public var items: [Item]
    public var cursor: String?

    public init(stream: String, items: [Item], cursor: String?) {
        self.stream = stream
        self.items = items
        self.cursor = cursor
    }
}

/// A moderation action to carry out on the platform.
public struct PlatformAction: Sendable {
    public var kind: ActionKind
    public var item: Item
    /// Reply text for replies.
    public var text: String?

    public init(kind: ActionKind, item: Item, text: String?) {
        self.kind = kind
        self.item = item
        self.text = text
    }
}

/// Why talking to a platform failed, classified for what to do next.
public enum ConnectorError: Error, Equatable, CustomStringConvertible {
    /// The token was refused: a person must provide a new one.
    case needsNewToken(source: String, detail: String)
    /// The platform asks us to slow down.
    case rateLimited(source: String, retryAfterSeconds: Int?)
    /// Worth retrying later (5xx, timeouts, broken bodies).
    case temporary(source: String, detail: String)
    /// Retrying will not help.
    case permanent(source: String, detail: String)
    /// The action is not possible on this platform or for this item.
    case unsupported(String)

    /// Safe for logs, stderr, the database and the audit log: details never carry a platform's own words (which may
    /// echo the request, its token or a comment), and any URL query or credential-looking text left is scrubbed.
    public var description: String { Redaction.scrub(rawDescription) }

    var rawDescription: String {
        switch self {
        case .needsNewToken(let source, let detail):
            return "source '\(source)' needs a new access token: \(detail). Put a fresh token in its environment variable."
        case .rateLimited(let source, let seconds):
            return "source '\(source)' is rate limited" + (seconds.map { "; retry after \($0) s" } ?? "")
        case .temporary(let source, let detail): return "source '\(source)': temporary failure: \(detail)"
        case .permanent(let source, let detail): return "source '\(source)': \(detail)"
        case .unsupported(let what): return "not supported: \(what)"
        }
    }

    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .temporary: return true
        case .needsNewToken, .permanent, .unsupported: return false
        }
    }
}

/// Reads a platform and acts on it.
public protocol PlatformConnector: Sendable {
    var source: SourceConfig { get }
    /// Fetches everything new since the stored cursors, handing each page to `store` before asking for the next.
    func poll(cursor: @Sendable (String) async throws -> String?, store: @Sendable (FetchedPage) async throws -> Void) async throws
    /// Carries out an action; returns the platform's id for what it created, if any.
    func perform(_ action: PlatformAction) async throws -> String?
    /// Whether the action already took effect on the platform (after a crash between sending and recording);
    /// nil when the platform cannot tell.
    func alreadyDone(_ action: PlatformAction) async throws -> Bool?
    /// What the platform last said of the API budget left (nil when it says nothing).
    func apiBudget() async -> APIBudget?
}

extension PlatformConnector {
    public func apiBudget() async -> APIBudget? { nil }
}

extension ConnectorError {
    /// A log-safe name for the kind of failure (details may quote the platform, never tokens, but stay out of logs).
    public var kindName: String {
        switch self {
        case .needsNewToken: return "needs_new_token"
        case .rateLimited: return "rate_limited"
        case .temporary: return "temporary"
        case .permanent: return "permanent"
        case .unsupported: return "unsupported"
        }
    }
}
