import Foundation
import ThreadGuardCore

/// The content a sandbox platform serves: one account's posts and the comments under them.
public struct SandboxWorld: Sendable {
    public struct Post: Sendable {
        public var id: String
        public var message: String
        public var createdAt: Date

        public init(id: String, message: String, createdAt: Date) {
            self.id = id
            self.message = message
            self.createdAt = createdAt
        }
    }

    public struct Comment: Sendable {
        public var id: String
        public var postID: String
        public var parentID: String?
        public var authorID: String
        public var authorName: String
        public var message: String
        public var createdAt: Date
        public var isHidden = false

        public init(id: String, postID: String, parentID: String?, authorID: String, authorName: String, message: String,
                    createdAt: Date, isHidden: Bool = false) {
            self.id = id
            self.postID = postID
            self.parentID = parentID
            self.authorID = authorID
            self.authorName = authorName
            self.message = message
            self.createdAt = createdAt
            self.isHidden = isHidden
        }
    }

    public var platform: Platform
    public var accountID: String
    public var accountName: String
    /// Newest first, as feeds list them.
    public var posts: [Post]
    /// Oldest first, as `filter=stream&order=chronological` lists them.
    public var comments: [Comment]

    public init(platform: Platform, accountID: String, accountName: String, posts: [Post], comments: [Comment]) {
        self.platform = platform
        self.accountID = accountID
        self.accountName = accountName
        self.posts = posts
        self.comments = comments
    }
}
