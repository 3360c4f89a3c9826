import Foundation
import ThreadGuardCore

/// Graph API response shapes (Facebook and Instagram).
struct GraphList<Element: Decodable>: Decodable {
    var data: [Element]
    var paging: GraphPaging?
}

struct GraphPaging: Decodable {
    struct Cursors: Decodable {
        var before: String?
        var after: String?
    }
    var cursors: Cursors?
    var next: String?
    var previous: String?
}

struct GraphUser: Decodable {
    var id: String
    var name: String?
}

struct GraphPost: Decodable {
    var id: String
    var message: String?
    var created_time: String
    var permalink_url: String?
    var from: GraphUser?
}

struct GraphComment: Decodable {
    struct Parent: Decodable { var id: String }
    /// Graph leaves `id` out when not asked for (and some recorded pages lack it): then the permalink's
    /// `comment_id` / `reply_comment_id` say who is who.
    var id: String?
    var message: String?
    var created_time: String
    var from: GraphUser?
    var parent: Parent?
    var permalink_url: String?
    var is_hidden: Bool?

    /// The comment's id and its parent comment's id, from the fields or else from the permalink.
    var identity: (id: String, parent: String?)? {
        if let id { return (id, parent?.id) }
        guard let link = permalink_url, let items = URLComponents(string: link)?.queryItems else { return nil }
        let comment = items.first { $0.name == "comment_id" }?.value
        let reply = items.first { $0.name == "reply_comment_id" }?.value
        if let reply { return (reply, comment) }
        return comment.map { ($0, nil) }
    }
}

struct GraphErrorEnvelope: Decodable {
    struct Body: Decodable {
        var message: String?
        var type: String?
        var code: Int?
        var error_subcode: Int?
    }
    var error: Body
}

enum GraphTime {
    /// Parses Graph's `2021-08-10T18:45:03+0000`.
    static func parse(_ text: String) -> Date? { Timestamp.parse(text) }

    static func format(_ date: Date) -> String { Timestamp.graph(date) }
}
