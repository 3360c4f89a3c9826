import Foundation
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardYAML

/// Reads every `*.yaml` in a policies folder and the word lists in its `lexicons/` folder, strictly: all
/// problems come back together, each with file:line:column, the key path and a hint.
public enum PolicyLoader {
    public static let topKeys = ["brand", "lexicons", "templates", "detectors", "rules"]

    public static func load(directory: String) throws -> PolicySet {
        let fm = FileManager.default
        let files = (try? fm.contentsOfDirectory(atPath: directory))?
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted() ?? []
        guard !files.isEmpty else {
            throw YAMLIssues([YAMLIssue(file: directory, line: 1, column: 1, path: "",
                                        message: "no policy files (*.yaml) in this folder", hint: "point 'policies' at the Policies folder")])
        }
        var set = PolicySet()
        var extra: [YAMLIssue] = []
        loadLexiconFiles(directory, into: &set, issues: &extra)
        var documents: [YAMLDocument] = []
        var ruleNodes: [(YAMLNode, Bool)] = []
        var templateNodes: [YAMLNode] = []
        for file in files {
            let document = YAMLDocument(contentsOf: (directory as NSString).appendingPathComponent(file))
            documents.append(document)
            guard let root = document.root?.mapping(allowing: topKeys) else { continue }
            if let brand = root["brand"] { BrandReader.read(brand, into: &set) }
            if let lexicons = root["lexicons"]?.anyMapping() {
                for (name, node) in lexicons.entries {
                    if let words = node.strings { set.lexicons[name, default: []] += words }
                }
            }
            if let templates = root["templates"] { templateNodes.append(templates) }
            for node in root["detectors"]?.sequence ?? [] { ruleNodes.append((node, true)) }
            for node in root["rules"]?.sequence ?? [] { ruleNodes.append((node, false)) }
        }
        for node in templateNodes { TemplateReader.read(node, variables: set.variables, into: &set.templates) }
        // The brand section gives three lexicons for free.
        set.lexicons["brand_names", default: []] += set.brand.names
        set.lexicons["brand_products", default: []] += set.brand.products
        set.lexicons["competitors", default: []] += set.brand.competitors + set.brand.competitorProducts
        var reader = RuleReader(lexicons: set.lexicons, templates: set.templates)
        for (node, isDetector) in ruleNodes {
            guard let rule = reader.read(node, detector: isDetector) else { continue }
            if isDetector { set.detectors.append(rule) } else { set.rules.append(rule) }
        }
        set.checkSlots = reader.slots.count
        set.phraseTables = reader.tables
        let issues = extra + documents.flatMap(\.issues) + reader.issues
        if !issues.isEmpty { throw YAMLIssues(issues) }
        return set
    }

    /// `lexicons/NAME.txt` become lexicon NAME; `lexicons/health|devices|care/*.txt` extend the PHI classifier.
    static func loadLexiconFiles(_ directory: String, into set: inout PolicySet, issues: inout [YAMLIssue]) {
        let folder = (directory as NSString).appendingPathComponent("lexicons")
        let fm = FileManager.default
        for entry in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            let path = (folder as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                for file in ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted() where file.hasSuffix(".txt") {
                    let lines = (try? Lexicon.file((path as NSString).appendingPathComponent(file))) ?? []
                    switch entry {
                    case "health": set.healthTerms += lines
                    case "devices": set.deviceTerms += lines
                    case "care": set.careTerms += lines
                    default:
                        issues.append(YAMLIssue(file: path, line: 1, column: 1, path: "", message: "unknown lexicon folder '\(entry)'",
                                                hint: "use lexicons/health, lexicons/devices or lexicons/care, or put NAME.txt in lexicons/"))
                    }
                }
            } else if entry.hasSuffix(".txt") {
                set.lexicons[String(entry.dropLast(4)), default: []] += (try? Lexicon.file(path)) ?? []
            }
        }
    }
}

extension YAMLNode {
    /// A mapping whose keys are names chosen by the author (lexicons, templates, selections).
    func anyMapping() -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            issue("expected a mapping of names to values, found \(kindName)")
            return nil
        }
        return self.mapping(allowing: mapping.map { $0.key.string ?? "" })
    }

    var location: SourceLocation { SourceLocation(file: document.file, line: line, column: column) }
}

/// The `brand:` section.
enum BrandReader {
    static let variableNames = ["support_phone", "dm_link", "support_email", "brand_name", "hours"]

    static func read(_ node: YAMLNode, into set: inout PolicySet) {
        guard let brand = node.mapping(allowing: ["names", "phones", "emails", "domains", "products", "competitors",
                                                  "competitor_products", "variables"]) else { return }
        set.brand = BrandProfile(
            names: brand["names"]?.strings ?? [], phones: brand["phones"]?.strings ?? [],
            emails: brand["emails"]?.strings ?? [], domains: brand["domains"]?.strings ?? [],
            products: brand["products"]?.strings ?? [], competitors: brand["competitors"]?.strings ?? [],
            competitorProducts: brand["competitor_products"]?.strings ?? [])
        if let variables = brand["variables"]?.mapping(allowing: variableNames) {
            for (name, value) in variables.entries { set.variables[name] = value.string }
        }
    }
}
