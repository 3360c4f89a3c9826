/// What a moderation action really achieves on a platform (a connector manifest's `containment:`): what it does,
/// who can still see the comment afterwards, and whether it can be reversed. Shown on the item page and the
/// dashboard, so nobody mistakes a Facebook "hide" for a removal.
public struct Containment: Sendable, Equatable {
    /// What the action does there ("hides the comment", "reports it to the instance's moderators").
    public var does: String
    /// Who can still see the comment afterwards ("the commenter and their friends", "nobody").
    public var stillVisibleTo: String
    public var reversible: Bool

    public init(does: String, stillVisibleTo: String, reversible: Bool) {
        self.does = does
        self.stillVisibleTo = stillVisibleTo
        self.reversible = reversible
    }

    /// "hides the comment; still visible to the commenter and their friends; can be undone".
    public var sentence: String {
        "\(does); still visible to \(stillVisibleTo); \(reversible ? "can be undone" : "cannot be undone")"
    }
}
