import Foundation

/// One public post, comment or reply, normalised from any platform.
public struct Item: Codable, Sendable, Equatable {
    public var platform: Platform
    public var platformID: String
    public var kind: ItemKind
    public var sourceName: String
    /// Platform id of the post that roots the thread (the item's own id for a post).
    public var threadRootID: String
    /// Platform id of the item this one answers, if any.
    public var parentID: String?
    public var authorID: String
    public var authorName: String
    public var text: String
    public var createdAt: Date
    public var fetchedAt: Date
    public var permalink: String?
    public var isHidden: Bool
    /// True when the brand's own account wrote it.
    public var isBrand: Bool

    /// The comment a reply answers, or the comment itself: where a reply to the thread goes (YouTube replies go to
    /// the top-level comment) and what "one public reply per thread" counts.
    public var topCommentID: String { kind == .reply ? (parentID ?? platformID) : platformID }

    public init(
        platform: Platform, platformID: String, kind: ItemKind, sourceName: String, threadRootID: String,
        parentID: String?, authorID: String, authorName: String, text: String, createdAt: Date,
        fetchedAt: Date, permalink: String?, isHidden: Bool = false, isBrand: Bool = false
    ) {
        self.platform = platform
        self.platformID = platformID
        self.kind = kind
        self.sourceName = sourceName
        self.threadRootID = threadRootID
        self.parentID = parentID
        self.authorID = authorID
        self.authorName = authorName
        self.text = text
        self.createdAt = createdAt
        self.fetchedAt = fetchedAt
        self.permalink = permalink
        self.isHidden = isHidden
        self.isBrand = isBrand
    }
}

/// A message above an item in its thread, as the classifier sees it.
public struct ThreadContextEntry: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable { case brand, user }
    public var role: Role
    public var text: String

    public init(role: Role, text: String) {
        self.role = role
        self.text = text
    }
}
