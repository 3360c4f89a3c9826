import Foundation
import ThreadGuardYAML

/// `alerts:` in threadguard.yaml: where people are told that they are needed. Secrets (a webhook URL with its token,
/// an SMTP password) are named by environment variable, never written in the file.
public struct AlertSettings: Sendable, Equatable {
    /// The review page's address as people reach it (behind the proxy): alerts link to `LINK/items/ID`.
    public var link: String?
    public var webhook: WebhookChannel?
    public var email: EmailChannel?

    public init(link: String? = nil, webhook: WebhookChannel? = nil, email: EmailChannel? = nil) {
        self.link = link
        self.webhook = webhook
        self.email = email
    }

    public var channels: [String] { (webhook == nil ? [] : ["webhook"]) + (email == nil ? [] : ["email"]) }

    /// A JSON POST. `slack` sends `{"text": …}`, `teams` a MessageCard, `json` the alert's fields.
    public struct WebhookChannel: Sendable, Equatable {
        public enum Format: String, Sendable, CaseIterable { case slack, teams, json }
        /// The URL itself (a local receiver) or the variable holding it (a Slack or Teams URL carries its secret).
        public var url: String?
        public var urlEnv: String?
        public var format: Format

        public init(url: String? = nil, urlEnv: String? = nil, format: Format = .json) {
            self.url = url
            self.urlEnv = urlEnv
            self.format = format
        }

        public func resolvedURL(environment: [String: String]) -> String? {
            url ?? urlEnv.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// Mail over SMTP (`smtp://host:port`, or `smtps://` for TLS from the start; `starttls: true` upgrades a plain
    /// connection and refuses to go on without it).
    public struct EmailChannel: Sendable, Equatable {
        public var server: String
        public var from: String
        public var to: [String]
        public var usernameEnv: String?
        public var passwordEnv: String?
        public var startTLS: Bool

        public init(server: String, from: String, to: [String], usernameEnv: String? = nil, passwordEnv: String? = nil, startTLS: Bool = false) {
            self.server = server
            self.from = from
            self.to = to
            self.usernameEnv = usernameEnv
            self.passwordEnv = passwordEnv
            self.startTLS = startTLS
        }
    }

    static let keys = ["link", "webhook", "email"]

    static func read(_ node: YAMLNode) -> AlertSettings? {
        guard let map = node.mapping(allowing: keys) else { return nil }
        var settings = AlertSettings()
        if let link = map["link"] {
            if let text = link.string, let url = URLComponents(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {
                settings.link = text.hasSuffix("/") ? String(text.dropLast()) : text
            } else {
                link.issue("'\(link.string ?? link.kindName)' is not an http(s) address", hint: "the review page's address as people open it, e.g. https://threadguard.example.org")
            }
        }
        if let hook = map["webhook"]?.mapping(allowing: ["url", "url_env", "format"]) {
            var channel = WebhookChannel()
            channel.url = hook["url"]?.string
            channel.urlEnv = hook["url_env"]?.string
            if let url = channel.url, let urlNode = hook["url"], !isHTTP(url) {
                urlNode.issue("'\(url)' is not an http(s) URL with a host")
            }
            if channel.url == nil, channel.urlEnv == nil, let node = map["webhook"] {
                node.issue("a webhook needs 'url' or 'url_env'", hint: "a Slack or Teams URL holds a secret: put it in a variable and name it with url_env")
            }
            if let formatNode = hook["format"] {
                if let format = formatNode.oneOf(Format.allCases.map(\.rawValue)).flatMap(WebhookChannel.Format.init(rawValue:)) { channel.format = format }
            }
            settings.webhook = channel
        }
        if let mail = map["email"]?.mapping(allowing: ["smtp", "from", "to", "username_env", "password_env", "starttls"], required: ["smtp", "from", "to"]) {
            let server = mail["smtp"]?.string ?? ""
            if let node = mail["smtp"], !(server.hasPrefix("smtp://") || server.hasPrefix("smtps://")) || URLComponents(string: server)?.host == nil {
                node.issue("'\(server)' is not an smtp:// or smtps:// address with a host", hint: "e.g. smtp://mail.example.org:587 with starttls: true")
            }
            let to = mail["to"]?.strings ?? mail["to"]?.string.map { [$0] } ?? []
            if let from = mail["from"], !(from.string ?? "").contains("@") { from.issue("'\(from.string ?? "")' is not an e-mail address") }
            for address in to where !address.contains("@") { mail["to"]?.issue("'\(address)' is not an e-mail address") }
            settings.email = EmailChannel(server: server, from: mail["from"]?.string ?? "", to: to, usernameEnv: mail["username_env"]?.string,
                                          passwordEnv: mail["password_env"]?.string, startTLS: mail["starttls"]?.bool ?? false)
        }
        return settings
    }

    private typealias Format = WebhookChannel.Format

    private static func isHTTP(_ text: String) -> Bool {
        guard let url = URLComponents(string: text) else { return false }
        return ["http", "https"].contains(url.scheme ?? "") && url.host != nil
    }
}
