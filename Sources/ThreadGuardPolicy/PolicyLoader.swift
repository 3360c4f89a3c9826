import Foundation
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardYAML

/// Reads every `*.yaml` in a policies folder, strictly: all problems come back together with
/// file:line:column.
public enum PolicyLoader {
    public static func load(directory: String) throws -> PolicySet {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory))?
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted() ?? []
        guard !files.isEmpty else {
            throw YAMLIssues([YAMLIssue(file: directory, line: 1, column: 1, path: "",
                                        message: "no policy files (*.yaml) in this folder", hint: "point 'policies' at the Policies folder")])
        }
        var set = PolicySet(brand: BrandProfile(), variables: [:], templates: [:], rules: [])
        var issues: [YAMLIssue] = []
        var templateUses: [(String, YAMLNode)] = []
        var documents: [YAMLDocument] = []
        for file in files {
            let document = YAMLDocument(contentsOf: (directory as NSString).appendingPathComponent(file))
            documents.append(document)
            guard let root = document.root?.mapping(allowing: ["brand", "templates", "rules"]) else { continue }
            if let brand = root["brand"] { readBrand(brand, into: &set) }
            if let templates = root["templates"]?.mapping(allowing: Array(Set(templatesKeys(root["templates"])))) {
                for (id, node) in templates.entries {
                    guard let fields = node.mapping(allowing: ["text"], required: ["text"]), let text = fields["text"]?.string else { continue }
                    let template = ReplyTemplate(id: id, text: text)
                    for name in template.placeholders where set.variables[name] == nil && !brandVariableNames.contains(name) {
                        fields["text"]!.issue("unknown placeholder '{{\(name)}}'",
                                              hint: "templates may use only brand variables: \(brandVariableNames.joined(separator: ", "))")
                    }
                    set.templates[id] = template
                }
            }
            for node in root["rules"]?.sequence ?? [] {
                if let rule = readRule(node, templateUses: &templateUses) { set.rules.append(rule) }
            }
        }
        for (id, node) in templateUses where set.templates[id] == nil {
            node.issue("no template named '\(id)'", hint: Spelling.closest(to: id, among: Array(set.templates.keys)).map { "did you mean '\($0)'?" })
        }
        issues = documents.flatMap(\.issues)
        if !issues.isEmpty { throw YAMLIssues(issues) }
        return set
    }

    static let brandVariableNames = ["support_phone", "dm_link", "support_email", "brand_name", "hours"]

    static func templatesKeys(_ node: YAMLNode?) -> [String] {
        guard case .mapping(let mapping)? = node?.node else { return [] }
        return mapping.map { $0.key.string ?? "" }
    }

    static func readBrand(_ node: YAMLNode, into set: inout PolicySet) {
        guard let brand = node.mapping(allowing: ["names", "phones", "emails", "domains", "products", "competitors", "competitor_products", "variables"]) else { return }
        set.brand = BrandProfile(
            names: brand["names"]?.strings ?? [], phones: brand["phones"]?.strings ?? [],
            emails: brand["emails"]?.strings ?? [], domains: brand["domains"]?.strings ?? [],
            products: brand["products"]?.strings ?? [], competitors: brand["competitors"]?.strings ?? [],
            competitorProducts: brand["competitor_products"]?.strings ?? [])
        if let variables = brand["variables"]?.mapping(allowing: brandVariableNames) {
            for (name, value) in variables.entries { set.variables[name] = value.string }
        }
    }

    static let conditionNames = ["phi", "direct_identifier", "third_party_health"] + Category.allCases.map { "category:\($0.rawValue)" }

    static func readRule(_ node: YAMLNode, templateUses: inout [(String, YAMLNode)]) -> Rule? {
        guard let fields = node.mapping(allowing: ["id", "title", "when", "actions", "template", "priority"],
                                        required: ["id", "when", "actions"]),
              let id = fields["id"]?.string
        else { return nil }
        var conditions: [RuleCondition] = []
        for element in fields["when"].map({ $0.sequence ?? [] }) ?? [] {
            guard let name = element.oneOf(conditionNames) else { continue }
            switch name {
            case "phi": conditions.append(.phi)
            case "direct_identifier": conditions.append(.directIdentifier)
            case "third_party_health": conditions.append(.thirdPartyHealth)
            default: conditions.append(.category(Category(rawValue: String(name.dropFirst("category:".count)))!))
            }
        }
        let actions = (fields["actions"]?.sequence ?? []).compactMap { element in
            element.oneOf(ActionKind.allCases.map(\.rawValue)).flatMap(ActionKind.init(rawValue:))
        }
        let template = fields["template"]?.string
        if let template, let node = fields["template"] { templateUses.append((template, node)) }
        if actions.contains(where: { $0 == .privateReply || $0 == .publicReply }), template == nil {
            fields.owner.issue("a rule that replies needs a 'template'")
        }
        return Rule(id: id, title: fields["title"]?.string ?? id, when: conditions, actions: actions, template: template,
                    priority: fields["priority"]?.int ?? 0)
    }
}
