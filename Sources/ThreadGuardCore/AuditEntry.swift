import Foundation

/// One line of the append-only audit log. Never holds comment text, tokens or findings' text.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var at: Date
    /// "system", "poll", a connector, or a signed-in user's name.
    public var actor: String
    /// What happened: "decided", "hide", "private_reply", "reveal", …
    public var event: String
    public var itemID: Int64?
    public var ruleIDs: [String]
    public var before: String?
    public var after: String?
    public var detail: String?

    public init(
        at: Date, actor: String, event: String, itemID: Int64?, ruleIDs: [String] = [], before: String? = nil,
        after: String? = nil, detail: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.event = event
        self.itemID = itemID
        self.ruleIDs = ruleIDs
        self.before = before
        self.after = after
        self.detail = detail
    }
}
