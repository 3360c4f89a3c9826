import ThreadGuardCore
import ThreadGuardYAML

/// The `templates:` section: `id: {text, variants: {es: …}, max_length: {x: 280, default: 1000}}`.
enum TemplateReader {
    static func read(_ node: YAMLNode, variables: [String: String], into templates: inout [String: ReplyTemplate]) {
        guard let all = node.anyMapping() else { return }
        for (id, entry) in all.entries.sorted(by: { $0.key < $1.key }) {
            guard let fields = entry.mapping(allowing: ["text", "variants", "max_length"], required: ["text"]),
                  let text = fields["text"]?.string
            else { continue }
            var variants: [String: String] = [:]
            if let map = fields["variants"]?.anyMapping() {
                for (language, value) in map.entries {
                    if language.count != 2 { value.issue("'\(language)' is not a two-letter language code", hint: "for example es, fr, pt") }
                    variants[language] = value.string
                }
            }
            var limits: [String: Int] = [:]
            if let map = fields["max_length"]?.mapping(allowing: Platform.allCases.map(\.rawValue) + ["default"]) {
                for (platform, value) in map.entries {
                    if let limit = value.int {
                        if limit < 20 { value.issue("a limit of \(limit) characters leaves no room for a reply", hint: "use 20 or more") }
                        limits[platform] = limit
                    }
                }
            }
            let template = ReplyTemplate(id: id, text: text, variants: variants, maxLength: limits)
            for name in template.placeholders where variables[name] == nil {
                let known = variables.keys.sorted()
                fields["text"]!.issue("unknown placeholder '{{\(name)}}'",
                                      hint: Spelling.closest(to: name, among: known).map { "did you mean '{{\($0)}}'?" }
                                        ?? "templates may use only brand variables: \(known.joined(separator: ", "))")
            }
            templates[id] = template
        }
    }
}
