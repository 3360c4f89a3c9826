import Foundation
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardYAML

/// Reads one rule or detector, compiling its selections, condition and tests, and reporting everything wrong
/// with it (unknown keys and fields, bad values and regexes, undefined lexicons and templates, conditions
/// that name missing selections, and rules that can never fire).
struct RuleReader {
    let lexicons: [String: [String]]
    let templates: [String: ReplyTemplate]
    var issues: [YAMLIssue] = []
    var seenIDs: [String: SourceLocation] = [:]
    /// Canonical text of a check (field, modifiers, values) → its cache slot.
    var slots: [String: Int] = [:]
    /// Every phrase table the checks use, numbered by position (one per distinct word list).
    var tables: [PhraseTable] = []
    private var tableByList: [[String]: PhraseTable] = [:]

    init(lexicons: [String: [String]], templates: [String: ReplyTemplate]) {
        self.lexicons = lexicons
        self.templates = templates
    }

    static let ruleKeys = ["id", "title", "description", "status", "level", "falsepositives", "author", "mode", "priority",
                           "automation", "selections", "condition", "actions", "category", "tests"]

    mutating func report(_ node: YAMLNode, _ message: String, hint: String? = nil, offset: Int = 0) {
        issues.append(YAMLIssue(file: node.document.file, line: node.line, column: node.column + offset, path: node.path,
                                message: message, hint: hint))
    }

    mutating func read(_ node: YAMLNode, detector: Bool) -> PolicyRule? {
        let required = detector ? ["id", "selections", "condition", "category"] : ["id", "selections", "condition", "actions"]
        guard let map = node.mapping(allowing: Self.ruleKeys, required: required), let id = map["id"]?.string else { return nil }
        if let previous = seenIDs[id], let idNode = map["id"] {
            report(idNode, "the id '\(id)' is already used at \(previous)", hint: "rule ids must be unique")
        }
        seenIDs[id] = node.location
        if detector, let actions = map["actions"] {
            report(actions, "a detector assigns a category and takes no actions", hint: "move the actions to a rule under 'rules:' with 'category: \(map["category"]?.string ?? "…")' in a selection")
        }
        if !detector, let category = map["category"] {
            report(category, "'category' belongs to detectors", hint: "to act on a category, check it in a selection: {category: \(category.string ?? "…")}")
        }
        var selections: [String: Selection] = [:]
        var selectionNodes: [String: YAMLNode] = [:]
        if let all = map["selections"]?.anyMapping() {
            if all.entries.isEmpty { report(map["selections"]!, "no selections: this rule can never fire") }
            for (name, selectionNode) in all.entries {
                selectionNodes[name] = selectionNode
                if let selection = readSelection(selectionNode) { selections[name] = selection }
            }
        }
        var condition = Condition.selection("__invalid__")
        if let conditionNode = map["condition"], let text = conditionNode.string {
            do {
                condition = try ConditionParser.parse(text)
                let names = Array(selections.keys) + Array(selectionNodes.keys)
                for name in condition.references([]) where selectionNodes[name] == nil {
                    report(conditionNode, "the condition names '\(name)', which is not a selection of this rule",
                           hint: Spelling.closest(to: name, among: Array(selectionNodes.keys)).map { "did you mean '\($0)'?" }
                             ?? "selections: \(selectionNodes.keys.sorted().joined(separator: ", "))")
                }
                if case .oneOf(let pattern) = condition, condition.references(names).isEmpty {
                    report(conditionNode, "no selection matches '\(pattern)': this rule can never fire")
                }
                if Self.contradicts(condition) {
                    report(conditionNode, "the condition requires a selection and its negation: this rule can never fire")
                }
            } catch let error as ConditionParser.ParseError {
                report(conditionNode, "cannot read the condition: \(error.message)", hint: "write e.g. 'phi and (relative or named) and not brand_reply'", offset: error.offset)
            } catch {}
        }
        let actions = detector ? [] : readActions(map["actions"])
        if !detector, actions.isEmpty, map["actions"] != nil { report(map["actions"]!, "no actions: this rule would do nothing", hint: "add hide, review, private_reply …") }
        let category = detector ? map["category"]?.oneOf(Category.allCases.map(\.rawValue)).flatMap(Category.init(rawValue:)) : nil
        let tests = readTests(map["tests"])
        let priority = map["priority"]?.int ?? 0
        if priority < 0 || priority > 100, let node = map["priority"] { report(node, "priority must be between 0 and 100") }
        return PolicyRule(
            id: id, title: map["title"]?.string ?? id, description: map["description"]?.string ?? "",
            status: map["status"]?.oneOf(PolicyRule.Status.allCases.map(\.rawValue)).flatMap(PolicyRule.Status.init(rawValue:)) ?? .stable,
            level: map["level"]?.oneOf(PolicyRule.Level.allCases.map(\.rawValue)).flatMap(PolicyRule.Level.init(rawValue:)) ?? .medium,
            falsePositives: map["falsepositives"]?.strings ?? [],
            mode: map["mode"]?.oneOf(["enforce", "shadow"]).flatMap(PolicyRule.Mode.init(rawValue:)) ?? .enforce,
            priority: priority,
            automation: map["automation"]?.oneOf(PolicyRule.Automation.allCases.map(\.rawValue)).flatMap(PolicyRule.Automation.init(rawValue:)) ?? .act,
            selections: selections, condition: condition, category: category, actions: actions, tests: tests,
            location: node.location)
    }

    /// `a and not a` anywhere at the top of an and-chain.
    static func contradicts(_ condition: Condition) -> Bool {
        var positives: Set<String> = [], negatives: Set<String> = []
        func collect(_ c: Condition) {
            switch c {
            case .and(let a, let b): collect(a); collect(b)
            case .selection(let name): positives.insert(name)
            case .not(.selection(let name)): negatives.insert(name)
            default: break
            }
        }
        collect(condition)
        return !positives.isDisjoint(with: negatives)
    }

    // MARK: Selections

    mutating func readSelection(_ node: YAMLNode) -> Selection? {
        guard case .mapping(let mapping) = node.node else {
            report(node, "a selection is a mapping of field checks", hint: "for example {text|includes-word: [refund, charged twice]}")
            return nil
        }
        var checks: [FieldCheck] = []
        var bools: [Field: Bool] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let keyYAML = YAMLNode(node: keyNode, path: "\(node.path).\(key)", document: node.document)
            let valueYAML = YAMLNode(node: valueNode, path: "\(node.path).\(key)", document: node.document)
            guard let check = readCheck(key: key, keyNode: keyYAML, value: valueYAML) else { continue }
            if case .bool(let b) = check.matcher {
                let effective = check.negate ? !b : b
                if let previous = bools[check.field], previous != effective {
                    report(keyYAML, "'\(check.field.rawValue)' is required to be both true and false: this selection can never match")
                }
                bools[check.field] = effective
            }
            checks.append(check)
        }
        // Cheapest checks first: a regex runs only when the selection's other checks already hold.
        let ordered = checks.filter { !$0.isRegex } + checks.filter(\.isRegex)
        return Selection(checks: ordered)
    }

    mutating func readCheck(key: String, keyNode: YAMLNode, value: YAMLNode) -> FieldCheck? {
        let parts = key.split(separator: "|").map(String.init)
        guard let fieldName = parts.first, let field = Field(rawValue: fieldName) else {
            let name = parts.first ?? key
            report(keyNode, "unknown field '\(name)'",
                   hint: Spelling.closest(to: name, among: Field.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
                     ?? "fields: \(Field.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        var modifiers = Array(parts.dropFirst())
        let negate = modifiers.contains("not")
        modifiers.removeAll { $0 == "not" }
        let location = keyNode.location
        if field.isText {
            let modifier = modifiers.first ?? "includes-word"
            guard let match = TextMatch(rawValue: modifier), modifiers.count <= 1 else {
                report(keyNode, "unknown text modifier '\(modifiers.joined(separator: "|"))'",
                       hint: Spelling.closest(to: modifier, among: TextMatch.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
                         ?? "modifiers: \(TextMatch.allCases.map(\.rawValue).joined(separator: ", ")), and not")
                return nil
            }
            guard let matcher = textMatcher(match, value) else { return nil }
            var check = FieldCheck(field: field, negate: negate, matcher: matcher, location: location)
            let key = "\(field.rawValue)|\(match.rawValue)|\(Self.canonical(value))"
            if let slot = slots[key] {
                check.slot = slot
            } else {
                check.slot = slots.count
                slots[key] = slots.count
            }
            return check
        }
        if field.isNumber {
            let modifier = modifiers.first ?? "gte"
            guard let comparison = NumberComparison(rawValue: modifier) else {
                report(keyNode, "unknown comparison '\(modifier)'", hint: "use one of \(NumberComparison.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            guard let number = value.double else { return nil }
            if field == .phiScore || field.scoredCategory != nil, number > 1 || number < 0, comparison == .gte || comparison == .gt || comparison == .eq {
                report(value, "\(field.rawValue) is between 0 and 1: '\(field.rawValue)|\(modifier): \(number)' can never hold")
            }
            if number < 0, [.phiCount, .depth, .ageHours].contains(field), comparison == .lte || comparison == .lt || comparison == .eq {
                report(value, "\(field.rawValue) is never negative: this check can never hold")
            }
            return FieldCheck(field: field, negate: negate, matcher: .number(comparison, number), location: location)
        }
        if !modifiers.isEmpty {
            report(keyNode, "'\(field.rawValue)' takes no modifier other than 'not'")
            return nil
        }
        if field.isBool {
            guard let flag = value.bool else { return nil }
            return FieldCheck(field: field, negate: negate, matcher: .bool(flag), location: location)
        }
        // Enumerated fields.
        let allowed: [String]
        switch field {
        case .platform: allowed = Platform.allCases.map(\.rawValue)
        case .kind: allowed = ItemKind.allCases.map(\.rawValue)
        case .category: allowed = Category.allCases.map(\.rawValue)
        case .phiTypes: allowed = FindingType.allCases.filter(\.isIdentifier).map(\.rawValue)
        case .phiSubject: allowed = ["commenter", "relative", "named_person", "facility_residents", "third_party", "unknown", "none"]
        default: allowed = []
        }
        let elements: [YAMLNode]
        if case .sequence = value.node { elements = value.sequence ?? [] } else { elements = [value] }
        let values = elements.compactMap { $0.oneOf(allowed) }
        if values.isEmpty, case .sequence(let seq) = value.node, seq.isEmpty { report(value, "an empty list can never match") }
        return FieldCheck(field: field, negate: negate, matcher: .oneOf(Set(values)), location: location)
    }

    /// Strings of a value, with `lexicon:NAME` expanded.
    mutating func words(_ node: YAMLNode) -> [String]? {
        let elements: [YAMLNode]
        if case .sequence = node.node { elements = node.sequence ?? [] } else { elements = [node] }
        if elements.isEmpty {
            report(node, "an empty list can never match")
            return nil
        }
        var result: [String] = []
        for element in elements {
            guard let text = element.string else { continue }
            if text.hasPrefix("lexicon:") {
                let name = String(text.dropFirst("lexicon:".count))
                if let list = lexicons[name] {
                    if list.isEmpty { report(element, "the lexicon '\(name)' is empty: this check can never match") }
                    result += list
                } else {
                    report(element, "no lexicon named '\(name)'",
                           hint: Spelling.closest(to: name, among: Array(lexicons.keys)).map { "did you mean 'lexicon:\($0)'?" }
                             ?? "define it under 'lexicons:' or add lexicons/\(name).txt")
                }
            } else if text.trimmingCharacters(in: .whitespaces).isEmpty {
                report(element, "an empty phrase matches everything", hint: "remove it")
            } else {
                result.append(text)
            }
        }
        return result
    }

    /// Several patterns of one check as one alternation, so the comment is scanned once rather than once per
    /// pattern. Patterns with back-references keep their own (their group numbers would shift), and so does
    /// any set ICU will not compile as one.
    static func combined(_ patterns: [NSRegularExpressionBox]) -> [NSRegularExpressionBox] {
        guard patterns.count > 1, !patterns.contains(where: { $0.pattern.range(of: #"\\[1-9]|\\k<"#, options: .regularExpression) != nil })
        else { return patterns }
        let joined = patterns.map { "(?:\($0.pattern))" }.joined(separator: "|")
        guard let regex = try? NSRegularExpression(pattern: joined, options: [.caseInsensitive]) else { return patterns }
        return [NSRegularExpressionBox(regex: regex, pattern: joined)]
    }

    /// The table of a word list, shared by every check that lists the same words.
    mutating func table(_ list: [String]) -> PhraseTable {
        if let known = tableByList[list] { return known }
        let made = PhraseTable(PhraseSet(list), number: tables.count)
        tables.append(made)
        tableByList[list] = made
        return made
    }

    /// A value's text, for recognising the same check written twice.
    static func canonical(_ node: YAMLNode) -> String {
        switch node.node {
        case .scalar(let scalar): return scalar.string
        case .sequence(let sequence): return "[" + sequence.map { YAMLNode(node: $0, path: "", document: node.document) }.map(canonical).joined(separator: ",") + "]"
        case .mapping(let mapping): return "{" + mapping.map { "\($0.key.string ?? ""):\(canonical(YAMLNode(node: $0.value, path: "", document: node.document)))" }.joined(separator: ",") + "}"
        case .alias: return "*"
        }
    }

    mutating func textMatcher(_ match: TextMatch, _ value: YAMLNode) -> FieldCheck.Matcher? {
        switch match {
        case .near:
            guard let map = value.mapping(allowing: ["a", "b", "within"], required: ["a", "b"]),
                  let a = map["a"].flatMap({ words($0) }), let b = map["b"].flatMap({ words($0) }) else { return nil }
            let within = map["within"]?.int ?? 5
            if within < 1, let node = map["within"] { report(node, "'within' must be at least 1") }
            return .near(table(a), table(b), within: within)
        case .regex:
            guard let patterns = words(value) else { return nil }
            var compiled: [NSRegularExpressionBox] = []
            let elements: [YAMLNode] = (value.sequence ?? [value])
            for (index, pattern) in patterns.enumerated() {
                do {
                    compiled.append(NSRegularExpressionBox(regex: try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]), pattern: pattern))
                } catch {
                    report(elements[min(index, elements.count - 1)], "'\(pattern)' is not a valid regular expression",
                           hint: "check brackets and escapes; in YAML single quotes keep backslashes as written")
                }
            }
            guard !compiled.isEmpty else { return nil }
            return .regex(Self.combined(compiled))
        case .includesWord:
            guard let list = words(value) else { return nil }
            return .words(table(list), list.count)
        case .includes:
            return words(value).map { .substrings($0.map { $0.lowercased() }) }
        case .startsWith:
            return words(value).map { .prefixes($0.map { $0.lowercased() }) }
        case .endsWith:
            return words(value).map { .suffixes($0.map { $0.lowercased() }) }
        }
    }

    // MARK: Actions and tests

    mutating func readActions(_ node: YAMLNode?) -> [RuleAction] {
        guard let node else { return [] }
        var actions: [RuleAction] = []
        for element in node.sequence ?? [] {
            var name: String?
            var options: YAMLMapping?
            if case .scalar = element.node {
                name = element.string
            } else if case .mapping(let map) = element.node, map.count == 1, let key = map.first?.key.string {
                name = key
                let child = YAMLNode(node: map.first!.value, path: "\(element.path).\(key)", document: element.document)
                options = child.mapping(allowing: ["template", "queue", "priority", "to", "name"])
            } else {
                report(element, "an action is a name or a one-key mapping", hint: "for example 'hide' or '{private_reply: {template: take_private}}'")
                continue
            }
            guard let actionName = name else { continue }
            guard let kind = ActionKind(rawValue: actionName) else {
                report(element, "unknown action '\(actionName)'",
                       hint: Spelling.closest(to: actionName, among: ActionKind.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
                         ?? "actions: \(ActionKind.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            var action = RuleAction(kind: kind, template: options?["template"]?.string, queue: options?["queue"]?.string,
                                    target: options?["to"]?.string, label: options?["name"]?.string)
            if kind == .privateReply || kind == .publicReply {
                if let template = action.template {
                    if templates[template] == nil, let templateNode = options?["template"] {
                        report(templateNode, "no template named '\(template)'",
                               hint: Spelling.closest(to: template, among: Array(templates.keys)).map { "did you mean '\($0)'?" }
                                 ?? "define it under 'templates:'")
                    }
                } else {
                    report(element, "\(actionName) needs a template", hint: "write {\(actionName): {template: take_private}}")
                }
            }
            if let priority = options?["priority"] { _ = priority.oneOf(["low", "normal", "high", "urgent"]); action.queue = action.queue ?? "default" }
            actions.append(action)
        }
        return actions
    }

    mutating func readTests(_ node: YAMLNode?) -> RuleTests {
        guard let node, let map = node.mapping(allowing: ["match", "no_match"]) else { return RuleTests() }
        return RuleTests(match: (map["match"]?.sequence ?? []).compactMap { readCase($0) },
                         noMatch: (map["no_match"]?.sequence ?? []).compactMap { readCase($0) })
    }

    mutating func readCase(_ node: YAMLNode) -> RuleTestCase? {
        if case .scalar = node.node, let text = node.string {
            return RuleTestCase(text: text, context: [], platform: .facebook, kind: .comment, author: "someone", location: node.location)
        }
        guard let map = node.mapping(allowing: ["text", "context", "platform", "kind", "author"], required: ["text"]),
              let text = map["text"]?.string else { return nil }
        var context: [ThreadContextEntry] = []
        for entry in map["context"]?.sequence ?? [] {
            guard let fields = entry.mapping(allowing: ["role", "text"], required: ["role", "text"]),
                  let role = fields["role"]?.oneOf(["brand", "user"]).flatMap(ThreadContextEntry.Role.init(rawValue:)),
                  let entryText = fields["text"]?.string else { continue }
            context.append(ThreadContextEntry(role: role, text: entryText))
        }
        return RuleTestCase(
            text: text, context: context,
            platform: map["platform"]?.oneOf(Platform.allCases.map(\.rawValue)).flatMap(Platform.init(rawValue:)) ?? .facebook,
            kind: map["kind"]?.oneOf(ItemKind.allCases.map(\.rawValue)).flatMap(ItemKind.init(rawValue:)) ?? .comment,
            author: map["author"]?.string ?? "someone", location: node.location)
    }
}
