import Foundation
import ThreadGuardCore

/// A connector described as data (`Connectors/<name>.yaml`), interpreted by `DeclarativeConnector`.
/// Every key is documented in `Connectors/README.md`.
public struct DeclarativeManifest: Sendable {
    public var name: String
    public var platform: Platform
    public var baseURL: String
    public var apiVersion: String
    public var auth: AuthSpec
    /// Sent with every request (templates allowed).
    public var headers: [(String, String)]
    /// Added to every request's query.
    public var query: [(String, String)]
    public var pageSize: Int
    public var rateLimit: RateLimitSpec
    public var errors: [ErrorRule]
    /// In order: a stream with a `parent` runs once per item its parent stream produced in the same poll.
    public var streams: [StreamSpec]
    public var actions: [ActionKind: ActionSpec]
    /// Constants templates may use as `{vars.NAME}` (a message subject, a report comment).
    public var vars: [String: String]
    /// What each moderation action leaves visible, and to whom, and whether it can be reversed.
    public var containment: [ActionKind: Containment] = [:]
}

public struct AuthSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case bearer, query, oauthPasswordGrant = "oauth_password_grant", none }
    public var kind: Kind
    /// Query parameter for `query` auth.
    public var parameter: String
    /// Token endpoint for `oauth_password_grant` (the environment variable holds `client_id:client_secret:username:password`).
    public var tokenURL: String?
}

public struct RateLimitSpec: Sendable {
    public enum ResetFormat: String, Sendable, CaseIterable { case seconds, epoch, iso8601 }
    public var remainingHeader: String?
    public var resetHeader: String?
    public var resetFormat: ResetFormat
    /// Wait for the reset once this many requests remain.
    public var slowBelow: Double
    /// Headers holding usage percentages as JSON (Meta's `X-App-Usage`, `X-Business-Use-Case-Usage`).
    public var usageHeaders: [String]
    /// Above this percentage requests are spaced out.
    public var usageSlowAbove: Double

    public static let none = RateLimitSpec(remainingHeader: nil, resetHeader: nil, resetFormat: .seconds, slowBelow: 0, usageHeaders: [], usageSlowAbove: 75)
}

/// What a response means when it matches: the first matching rule decides.
public struct ErrorRule: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        /// Worth trying again soon (5xx, broken bodies).
        case retry
        /// The platform asks us to slow down.
        case backOff = "back_off"
        /// The token is refused: fetch a new one (OAuth) or ask a person for one.
        case reauthenticate
        /// Retrying will not help.
        case giveUp = "give_up"
    }
    public var statuses: [Int]
    public var path: JSONPath?
    public var equals: [String]
    public var headerContains: (name: String, text: String)?
    public var outcome: Outcome
    public var message: String?
}

public struct RequestSpec: Sendable {
    public var method: String
    /// A template: `/2/users/{account}/tweets`.
    public var path: String
    public var query: [(String, String)]
    public var form: [(String, String)]?
    public var json: TemplateJSON?
}

/// A JSON body whose string leaves are templates.
public indirect enum TemplateJSON: Sendable {
    case object([(String, TemplateJSON)])
    case array([TemplateJSON])
    case template(String)
    case literal(JSONValue)
}

public struct PaginateSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case none
        /// A token in the body goes back as a query parameter.
        case cursor
        /// The body holds the next page's full URL.
        case nextURL = "next_url"
        /// The `Link` header's `rel="next"` URL.
        case linkHeader = "link_header"
    }
    public var kind: Kind
    public var cursor: JSONPath?
    public var param: String?
    public var next: JSONPath?
    /// For cursors: a page continues only when this path has a value (Graph's `paging.next`).
    public var hasMore: JSONPath?

    public static let none = PaginateSpec(kind: .none, cursor: nil, param: nil, next: nil, hasMore: nil)
}

public struct IncrementalSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Every poll walks the stream from the start (bounded by `max_pages`); storing dedups.
        case none
        /// Pages run oldest first; the stored cursor is the paging token to resume from.
        case resume
        /// Pages run newest first; the cursor is the newest value seen, and a walk stops at it.
        case highWater = "high_water"
    }
    public enum Compare: String, Sendable, CaseIterable { case numeric, base36, time }
    public var kind: Kind
    /// Item field compared: `id` or `created`.
    public var field: String
    public var compare: Compare
    /// Query parameter that asks the platform for newer items only (`since_id`).
    public var param: String?

    public static let none = IncrementalSpec(kind: .none, field: "id", compare: .numeric, param: nil)
}

/// Which JSON records a stream yields, and how they become items.
public struct RecordSpec: Sendable {
    public var filter: Match?
    /// Path from the raw record to the object the item mapping reads (Reddit's `data`).
    public var unwrap: JSONPath?
    public var item: ItemMapping
}

public struct StreamSpec: Sendable {
    public var name: String
    public var kind: ItemKind
    public var parent: String?
    public var request: RequestSpec
    public var records: JSONPath
    public var record: RecordSpec
    public var paginate: PaginateSpec
    public var incremental: IncrementalSpec
    public var maxPages: Int
    /// Per page: records other fields can look up by key (X's `includes.users`).
    public var lookups: [String: Lookup]
    public var replies: RepliesSpec?
    public var more: MoreSpec?
}

public struct Lookup: Sendable {
    public var records: JSONPath
    public var key: JSONPath
}

/// Replies nested in a record (Instagram `replies.data`, YouTube `replies.comments`, Reddit `data.replies`).
public struct RepliesSpec: Sendable {
    public var path: JSONPath
    public var record: RecordSpec
    /// Replies of replies, to any depth.
    public var recursive: Bool
    /// Fetch the full list when a count in the record says the embedded replies are not all of them.
    public var fetchAll: FetchAllSpec?
    /// No `item` of its own: replies are read with the stream's mapping.
    public var usesStreamItem = false
}

public struct FetchAllSpec: Sendable {
    /// A count in the record (YouTube `snippet.totalReplyCount`).
    public var whenMoreThan: JSONPath
    public var request: RequestSpec
    public var records: JSONPath
    public var paginate: PaginateSpec
}

/// Stubs standing for records not sent yet (Reddit `more`), expanded by a further request.
public struct MoreSpec: Sendable {
    public var when: Match
    public var ids: JSONPath
    public var request: RequestSpec
    public var records: JSONPath
    public var batch: Int
}

public struct Match: Sendable {
    public var path: JSONPath
    public var equals: [String]

    public func holds(_ record: JSONValue) -> Bool {
        path.values(in: record).contains { value in value.text.map(equals.contains) ?? false }
    }
}

/// Item fields from a record.
public struct ItemMapping: Sendable {
    public var id: ValueSpec
    public var text: ValueSpec?
    public var created: ValueSpec?
    public var createdFormat: DateFormat
    public var authorID: ValueSpec?
    public var authorName: ValueSpec?
    public var parentID: ValueSpec?
    public var rootID: ValueSpec?
    public var permalink: ValueSpec?
    public var hidden: ValueSpec?

    public enum DateFormat: String, Sendable, CaseIterable { case iso8601, epoch, graph }
}

/// One value read from a record: the first alternative that yields text wins.
public struct ValueSpec: Sendable {
    public var alternatives: [ValueSource]
}

public struct ValueSource: Sendable {
    public enum Origin: Sendable {
        case path(JSONPath)
        /// Several paths, their texts joined.
        case joined([JSONPath], separator: String)
        case template(String)
        /// A record found by key in a page-level lookup, then a path in it.
        case lookup(name: String, key: JSONPath, path: JSONPath)
        /// The first element under `path` where `where` holds, then `value` in it.
        case filtered(path: JSONPath, where: Match, value: JSONPath)
    }
    public var origin: Origin
    public var prefix: String?
    public var stripPrefixes: [String]
    /// Read this query parameter of a URL.
    public var queryParam: String?
    /// HTML to plain text (Mastodon's `content`).
    public var html: Bool
    /// "true" when the value is one of these, else "false" (YouTube's `moderationStatus` as a hidden flag).
    public var equals: [String]? = nil
}

/// A moderation action as a templated request.
public struct ActionSpec: Sendable {
    public var request: RequestSpec
    /// The response must have this for the action to count as done.
    public var success: Match?
    /// The id of what the action created.
    public var resultID: JSONPath?
    /// Allowed only this many days after the comment (Meta's private replies: 7).
    public var windowDays: Int?
    /// After a crash between sending and recording: asks the platform whether the action already took effect.
    public var check: CheckSpec?
}

public struct CheckSpec: Sendable {
    public var request: RequestSpec
    /// Elements to look at (`data[*]`); the check holds when one of them matches every condition.
    public var each: JSONPath
    public var conditions: [(path: JSONPath, equals: String)]
}
