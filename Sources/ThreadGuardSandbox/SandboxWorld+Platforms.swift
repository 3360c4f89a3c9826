import Foundation
import ThreadGuardCore

extension SandboxWorld {
    /// The demo world on another platform: the same posts, comments and replies, with that platform's ids
    /// (X and Mastodon snowflakes, Reddit base-36 fullnames, YouTube comment ids, Instagram numeric ids).
    public static func demo(platform: Platform, now: Date = Date()) -> SandboxWorld {
        let facebook = demoFacebook(now: now)
        guard platform != .facebook else { return facebook }
        let ids = PlatformIDs(platform: platform)
        var mapped: [String: String] = [:]
        // Oldest first, so ids grow with time as the platforms' own do.
        let posts = facebook.posts.sorted { $0.createdAt < $1.createdAt }
        for (n, post) in posts.enumerated() { mapped[post.id] = ids.post(n) }
        for (n, comment) in facebook.comments.enumerated() {
            mapped[comment.id] = ids.comment(n, parent: comment.parentID.flatMap { mapped[$0] })
        }
        let brandAuthor = facebook.accountID
        let account = ids.account
        func author(_ id: String) -> String { id == brandAuthor ? account.id : ids.user(id) }
        return SandboxWorld(
            platform: platform, accountID: account.id, accountName: account.name,
            posts: facebook.posts.map { Post(id: mapped[$0.id]!, message: $0.message, createdAt: $0.createdAt) },
            comments: facebook.comments.map { comment in
                Comment(id: mapped[comment.id]!, postID: mapped[comment.postID]!, parentID: comment.parentID.flatMap { mapped[$0] },
                        authorID: author(comment.authorID), authorName: comment.authorID == brandAuthor ? account.name : ids.handle(comment.authorName),
                        message: comment.message, createdAt: comment.createdAt)
            })
    }
}

/// Id shapes per platform.
struct PlatformIDs {
    let platform: Platform

    var account: (id: String, name: String) {
        switch platform {
        case .facebook: return ("104857600123", "Meridian Medical")
        case .instagram: return ("17841400000000123", "meridianmedical")
        case .x: return ("1450000000000000123", "MeridianMed")
        case .youtube: return ("UCmeridianMedical000000", "Meridian Medical")
        case .reddit: return ("MeridianMedical", "MeridianMedical")
        case .mastodon: return ("109000000000000123", "meridian")
        }
    }

    func post(_ n: Int) -> String {
        switch platform {
        case .facebook: return "104857600123_\(3001 + n)"
        case .instagram: return "1790000000000\(1000 + n)"
        case .x: return String(1_790_000_000_000_000_000 + n * 1_000_000)
        case .youtube: return "vidMeridian\(n + 1)"
        case .reddit: return "t3_" + String(1_000_000 + n, radix: 36)
        case .mastodon: return String(113_000_000_000_000_000 + n * 1_000_000)
        }
    }

    func comment(_ n: Int, parent: String?) -> String {
        switch platform {
        case .facebook: return "104857600123_c\(n)"
        case .instagram: return "1800000000000\(1000 + n)"
        case .x: return String(1_790_000_000_100_000_000 + n * 1_000)
        case .youtube:
            // A reply's id is its thread's id, a dot, and its own part.
            if let parent { return "\(parent).AzReply\(n)" }
            return "UgzThread\(n)AaABAg"
        case .reddit: return "t1_" + String(2_000_000 + n, radix: 36)
        case .mastodon: return String(113_000_000_100_000_000 + n * 1_000)
        }
    }

    func user(_ id: String) -> String {
        switch platform {
        case .youtube: return "UCuser\(id)"
        case .reddit: return "t2_u\(id)"
        default: return "2\(id)000"
        }
    }

    func handle(_ name: String) -> String {
        switch platform {
        case .youtube, .facebook: return name
        default: return name.lowercased().replacingOccurrences(of: " ", with: "_")
        }
    }
}
