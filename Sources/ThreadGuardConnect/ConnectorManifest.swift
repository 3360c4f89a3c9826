import Foundation
import ThreadGuardCore
import ThreadGuardYAML

/// A platform's connector manifest (`Connectors/<name>.yaml`): where the API is and how to reach it.
public struct ConnectorManifest: Sendable, Equatable {
    public enum AuthStyle: String, Sendable { case bearer, query }

    public var name: String
    public var platform: Platform
    public var baseURL: String
    public var apiVersion: String
    public var auth: AuthStyle
    /// Query parameter carrying the token when `auth` is `query`.
    public var tokenParameter: String
    public var pageSize: Int
    public var postFields: String
    public var commentFields: String
    /// Days after a comment during which a private reply is allowed (Meta: 7).
    public var privateReplyWindowDays: Int

    public static let keys = [
        "type", "name", "platform", "base_url", "api_version", "auth", "token_parameter", "page_size",
        "post_fields", "comment_fields", "private_reply_window_days",
    ]

    /// Reads and validates one manifest; every problem is reported with file:line:column.
    public static func load(file: String) throws -> ConnectorManifest {
        let document = YAMLDocument(contentsOf: file)
        let manifest = read(document)
        if !document.issues.isEmpty { throw YAMLIssues(document.issues) }
        return manifest!
    }

    static func read(_ document: YAMLDocument) -> ConnectorManifest? {
        guard let map = document.root?.mapping(allowing: keys, required: ["type", "name", "platform", "base_url"]) else { return nil }
        _ = map["type"]?.oneOf(["connector"])
        let platform = map["platform"]?.oneOf(Platform.allCases.map(\.rawValue)).flatMap(Platform.init(rawValue:))
        let baseURL = map["base_url"]?.string
        if let baseURL, let node = map["base_url"], URLComponents(string: baseURL)?.host == nil {
            node.issue("'\(baseURL)' is not an http(s) URL with a host", hint: "for example https://graph.facebook.com")
        }
        let pageSize = map["page_size"]?.int ?? 25
        if pageSize < 1 || pageSize > 100, let node = map["page_size"] { node.issue("page_size must be between 1 and 100") }
        guard let name = map["name"]?.string, let platform, let baseURL else { return nil }
        return ConnectorManifest(
            name: name, platform: platform, baseURL: baseURL, apiVersion: map["api_version"]?.string ?? "",
            auth: map["auth"]?.oneOf(["bearer", "query"]).flatMap(AuthStyle.init(rawValue:)) ?? .bearer,
            tokenParameter: map["token_parameter"]?.string ?? "access_token", pageSize: pageSize,
            postFields: map["post_fields"]?.string ?? "id,message,created_time,from,permalink_url",
            commentFields: map["comment_fields"]?.string ?? "id,message,created_time,from,parent{id},permalink_url,is_hidden",
            privateReplyWindowDays: map["private_reply_window_days"]?.int ?? 7)
    }
}
