/// The social platforms ThreadGuard polls.
public enum Platform: String, Codable, Sendable, CaseIterable {
    case facebook, instagram, x, youtube, reddit, mastodon
}

/// What an item is within its thread.
public enum ItemKind: String, Codable, Sendable, CaseIterable {
    case post, comment, reply
}
