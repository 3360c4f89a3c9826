import Foundation
import ThreadGuardCore

extension SandboxWorld {
    /// A synthetic page for load tests: one post and `comments` comments drawn from a fixed mix (praise, questions,
    /// complaints, self-disclosures, third-party health with identifiers, spam), deterministic for an index.
    public static func generated(index: Int, comments: Int, now: Date = Date()) -> SandboxWorld {
        let account = String(300_000_000 + index)
        let post = Post(id: "\(account)_1", message: "Our new monitor is here. Questions welcome!", createdAt: now.addingTimeInterval(-86_400))
        let mix = [
            "Love the new design, great job team",
            "Does it work with the older charger?",
            "My order #%d still hasn't shipped and support never answers",
            "I've had AFib for years and this monitor finally makes sense to me",
            "My mom's MRN is 00%d and her monitor keeps beeping at night, call me at 614-555-%04d",
            "The residents at Maple Grove Manor love these",
            "Earn $500 a day from home, link in bio!!",
            "Thanks for the quick reply yesterday",
            "Can I shower with it on?",
            "my husband's pacemaker check is on the 12th and he is nervous",
        ]
        var list: [Comment] = []
        list.reserveCapacity(comments)
        for n in 0..<comments {
            let template = mix[(n + index) % mix.count]
            let text = template.contains("%") ? String(format: template, 100_000 + n, (n * 7 + index) % 10_000) : template
            list.append(Comment(id: "\(account)_1_\(n + 1)", postID: post.id, parentID: nil, authorID: "u\(index)_\(n)",
                                authorName: "User \(n)", message: text, createdAt: now.addingTimeInterval(Double(n - comments) * 30)))
        }
        return SandboxWorld(platform: .facebook, accountID: account, accountName: "Page \(index)", posts: [post], comments: list)
    }
}
