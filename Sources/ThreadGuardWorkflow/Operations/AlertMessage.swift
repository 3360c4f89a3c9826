import Foundation

/// What an alert says: a title, a few lines and typed fields, all made of ids, categories, counts, dates and
/// configuration names. Never comment text, authors' names or tokens: the message leaves the machine.
public struct AlertMessage: Codable, Sendable, Equatable {
    /// crisis, adverse_event, source, dead_letter
    public var kind: String
    public var title: String
    public var lines: [String]
    /// Machine-readable fields for `format: json` receivers (string values; numbers as digits).
    public var fields: [String: String]
    public var link: String?

    public init(kind: String, title: String, lines: [String], fields: [String: String], link: String?) {
        self.kind = kind
        self.title = title
        self.lines = lines
        self.fields = fields
        self.link = link
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public static func decode(_ json: String) -> AlertMessage? {
        try? JSONDecoder().decode(AlertMessage.self, from: Data(json.utf8))
    }

    var plainLines: [String] { lines + (link.map { ["Open: \($0)"] } ?? []) }

}

/// The alerts one channel sends in one round, as one message: a person gets one call or one mail per run listing
/// everything new, not a burst of them.
public struct AlertDigest: Sendable {
    public var messages: [(id: Int64, message: AlertMessage)]

    public init(messages: [(id: Int64, message: AlertMessage)]) { self.messages = messages }

    public var title: String {
        if messages.count == 1 { return messages[0].message.title }
        var counts: [String: Int] = [:]
        for (_, message) in messages { counts[message.kind, default: 0] += 1 }
        let names = ["crisis": "crisis item", "adverse_event": "adverse-event intake", "source": "source", "dead_letter": "failed action"]
        let parts = counts.sorted { $0.key < $1.key }.map { "\($0.value) \(names[$0.key] ?? $0.key)\($0.value == 1 ? "" : "s")" }
        return "\(messages.count) things need a person: " + parts.joined(separator: ", ")
    }

    private var plainText: String {
        messages.map { _, message in ([message.title] + message.plainLines).joined(separator: "\n") }.joined(separator: "\n\n")
    }

    /// The webhook body: Slack's `{"text": …}`, a Teams MessageCard, or `{"title": …, "alerts": [fields…]}`.
    public func webhookBody(format: AlertSettings.WebhookChannel.Format) -> Data {
        let object: [String: Any]
        switch format {
        case .slack:
            object = ["text": "*\(title)*\n\n" + plainText]
        case .teams:
            object = ["@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": title, "title": title,
                      "text": plainText.replacingOccurrences(of: "\n", with: "<br>")]
        case .json:
            object = ["title": title, "alerts": messages.map { id, message in
                var all: [String: Any] = ["alert_id": id, "kind": message.kind, "title": message.title]
                for (key, value) in message.fields { all[key] = Int(value).map { $0 as Any } ?? value }
                if let link = message.link { all["link"] = link }
                return all
            }]
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// An RFC 5322 message whose Message-ID names the alerts (a retried digest is recognisably the same mail).
    public func mail(from: String, to: [String], databaseID: String, date: Date = Date()) -> Data {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let domain = from.split(separator: "@").last.map(String.init) ?? "threadguard.invalid"
        let ids = messages.map { "\($0.id)" }.joined(separator: "-")
        let headers = [
            "From: \(from)", "To: \(to.joined(separator: ", "))", "Subject: [ThreadGuard] \(title)",
            "Date: \(formatter.string(from: date))", "Message-ID: <alerts-\(ids).\(databaseID)@\(domain)>",
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
            "X-ThreadGuard-Alerts: \(messages.map(\.message.kind).joined(separator: ","))",
        ]
        // SMTP lines end in CRLF (curl doubles a leading ".").
        return Data((headers.joined(separator: "\r\n") + "\r\n\r\n" + plainText.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n").utf8)
    }
}
