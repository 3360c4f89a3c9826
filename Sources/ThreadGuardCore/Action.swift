/// What the workflow can do about an item.
public enum ActionKind: String, Codable, Sendable, CaseIterable {
    case hide
    case unhide
    case privateReply = "private_reply"
    case publicReply = "public_reply"
    /// Removal for good: for spam only, never a default (hiding is reversible).
    case delete
    case review
    case escalate
    case adverseEventReport = "adverse_event_report"
    case label

    /// Actions carried out on the platform through its API (the rest stay inside ThreadGuard).
    public var touchesPlatform: Bool {
        switch self {
        case .hide, .unhide, .privateReply, .publicReply, .delete: return true
        case .review, .escalate, .adverseEventReport, .label: return false
        }
    }
}

/// Life of an outbox action.
public enum ActionStatus: String, Codable, Sendable {
    /// Waiting for the executor.
    case pending
    /// Waiting for a person to approve (a drafted reply).
    case draft
    /// In the review queue (review, escalate, adverse-event intake): work for people, not the executor.
    case open
    /// Recorded as being sent: if the executor dies now, the next run asks the platform before sending again.
    case sending
    /// Sent, and the platform confirmed it.
    case done
    /// Gave up after retries; the reason shows in the queue.
    case dead
    /// Withdrawn by a person (a dismissed item's drafts); nothing was sent.
    case cancelled
}
