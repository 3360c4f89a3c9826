import ThreadGuardCore

/// A reply text with `{{variable}}` placeholders filled from the brand's variables only: a template can
/// never reach the comment's text. Variants per language; a length limit per platform.
public struct ReplyTemplate: Sendable, Equatable {
    public var id: String
    public var text: String
    /// Language code → text (`es: "Gracias…"`).
    public var variants: [String: String]
    /// Platform → most characters allowed (`x: 280`); `default` for the rest.
    public var maxLength: [String: Int]

    public init(id: String, text: String, variants: [String: String] = [:], maxLength: [String: Int] = [:]) {
        self.id = id
        self.text = text
        self.variants = variants
        self.maxLength = maxLength
    }

    /// Placeholder names used in a text.
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    public var placeholders: [String] { ([text] + variants.values).flatMap(Self.placeholders(in:)) }

    /// The text for a language and platform, variables filled in, cut to the platform's limit at a word.
    public func render(_ variables: [String: String], language: String? = nil, platform: Platform? = nil) -> String {
        var output = language.flatMap { variants[$0] } ?? text
        for name in Self.placeholders(in: output) {
            output = output.replacingOccurrences(of: "{{\(name)}}", with: variables[name] ?? "")
            output = output.replacingOccurrences(of: "{{ \(name) }}", with: variables[name] ?? "")
        }
        if let limit = platform.flatMap({ maxLength[$0.rawValue] }) ?? maxLength["default"], output.count > limit {
            let cut = output.prefix(limit - 1)
            output = String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
        }
        return output
    }
}

import Foundation
