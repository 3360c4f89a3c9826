import Foundation
import Testing
import ThreadGuardPolicy
import ThreadGuardYAML

/// Writes one policy file (plus a minimal valid brand/template file) into a fresh folder and returns the
/// folder and the file's path.
func policyFolder(_ yaml: String, name: String = "rules.yaml") throws -> (String, String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-policy-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try """
        brand:
          names: [Acme]
          variables: {support_phone: "1-800-555-0100"}
        lexicons:
          devices: [pump, monitor]
        templates:
          take_private: {text: "Please call {{support_phone}}."}
        """.write(toFile: folder + "/base.yaml", atomically: true, encoding: .utf8)
    try yaml.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    return (folder, folder + "/" + name)
}

func problems(_ yaml: String) throws -> (file: String, lines: [String]) {
    let (folder, file) = try policyFolder(yaml)
    do {
        _ = try PolicyLoader.load(directory: folder)
        return (file, [])
    } catch let error as YAMLIssues {
        return (file, error.issues.map(\.description))
    }
}

/// One malformed file and the exact message (after "FILE:") it must produce.
struct Malformed: Sendable, CustomTestStringConvertible {
    let name: String
    let yaml: String
    let expected: String
    var testDescription: String { name }
}

let rule = """
    rules:
      - id: r1
        selections:
          s: {phi: true}
        condition: s
        actions: [review]

    """

let malformedCases: [Malformed] = [
    Malformed(name: "unknown top-level key", yaml: "rulez: []\n",
              expected: "1:1: rulez: unknown key 'rulez' (did you mean 'rules'?)"),
    Malformed(name: "YAML syntax error", yaml: "rules:\n  - id: [unclosed\n",
              expected: "3:1: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence (check the indentation and quoting on this line)"),
    Malformed(name: "rules is not a list", yaml: "rules: {id: r1}\n",
              expected: "1:8: rules: expected a list, found a mapping"),
    Malformed(name: "unknown rule key", yaml: rule.replacingOccurrences(of: "    actions: [review]", with: "    actions: [review]\n    priorty: 5"),
              expected: "7:5: rules[0].priorty: unknown key 'priorty' (did you mean 'priority'?)"),
    Malformed(name: "missing condition", yaml: "rules:\n  - id: r1\n    selections: {s: {phi: true}}\n    actions: [review]\n",
              expected: "2:5: rules[0]: missing required key 'condition'"),
    Malformed(name: "unknown field", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{txt|includes: [a]}"),
              expected: "4:11: rules[0].selections.s.txt|includes: unknown field 'txt' (did you mean 'text'?)"),
    Malformed(name: "unknown text modifier", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{text|contains: [a]}"),
              expected: "4:11: rules[0].selections.s.text|contains: unknown text modifier 'contains' (modifiers: includes, includes-word, starts-with, ends-with, regex, near, and not)"),
    Malformed(name: "bad regex", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{text|regex: ['(unclosed']}"),
              expected: "4:24: rules[0].selections.s.text|regex[0]: '(unclosed' is not a valid regular expression (check brackets and escapes; in YAML single quotes keep backslashes as written)"),
    Malformed(name: "undefined lexicon", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{text|includes-word: lexicon:devises}"),
              expected: "4:31: rules[0].selections.s.text|includes-word: no lexicon named 'devises' (did you mean 'lexicon:devices'?)"),
    Malformed(name: "undefined template", yaml: rule.replacingOccurrences(of: "actions: [review]", with: "actions: [{private_reply: {template: take_privat}}]"),
              expected: "6:42: rules[0].actions[0].private_reply.template: no template named 'take_privat' (did you mean 'take_private'?)"),
    Malformed(name: "reply without template", yaml: rule.replacingOccurrences(of: "actions: [review]", with: "actions: [private_reply]"),
              expected: "6:15: rules[0].actions[0]: private_reply needs a template (write {private_reply: {template: take_private}})"),
    Malformed(name: "unknown action", yaml: rule.replacingOccurrences(of: "actions: [review]", with: "actions: [hyde]"),
              expected: "6:15: rules[0].actions[0]: unknown action 'hyde' (did you mean 'hide'?)"),
    Malformed(name: "condition names a missing selection", yaml: rule.replacingOccurrences(of: "condition: s", with: "condition: s and sel"),
              expected: "5:16: rules[0].condition: the condition names 'sel', which is not a selection of this rule (did you mean 's'?)"),
    Malformed(name: "condition syntax", yaml: rule.replacingOccurrences(of: "condition: s", with: "condition: (s and"),
              expected: "5:22: rules[0].condition: cannot read the condition: the condition ends too early; expected a selection name (write e.g. 'phi and (relative or named) and not brand_reply')"),
    Malformed(name: "contradictory condition", yaml: rule.replacingOccurrences(of: "condition: s", with: "condition: s and not s"),
              expected: "5:16: rules[0].condition: the condition requires a selection and its negation: this rule can never fire"),
    Malformed(name: "contradictory selection", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{phi: true, phi|not: true}"),
              expected: "4:22: rules[0].selections.s.phi|not: 'phi' is required to be both true and false: this selection can never match"),
    Malformed(name: "score out of range", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{phi.score|gte: 1.5}"),
              expected: "4:26: rules[0].selections.s.phi.score|gte: phi.score is between 0 and 1: 'phi.score|gte: 1.5' can never hold"),
    Malformed(name: "empty value list", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{text|includes: []}"),
              expected: "4:26: rules[0].selections.s.text|includes: an empty list can never match"),
    Malformed(name: "wrong type for bool", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{phi: maybe}"),
              expected: "4:16: rules[0].selections.s.phi: expected true or false, found 'maybe'"),
    Malformed(name: "bad category value", yaml: rule.replacingOccurrences(of: "{phi: true}", with: "{category: [spamm]}"),
              expected: "4:22: rules[0].selections.s.category[0]: 'spamm' is not one of adverse_event, medical_advice, complaint, distress, off_label, misinformation, competitor, spam, abuse (did you mean 'spam'?)"),
    Malformed(name: "bad mode", yaml: rule.replacingOccurrences(of: "    actions: [review]", with: "    actions: [review]\n    mode: shadowed"),
              expected: "7:11: rules[0].mode: 'shadowed' is not one of enforce, shadow (did you mean 'shadow'?)"),
    Malformed(name: "priority not a number", yaml: rule.replacingOccurrences(of: "    actions: [review]", with: "    actions: [review]\n    priority: high"),
              expected: "7:15: rules[0].priority: expected a whole number, found 'high'"),
    Malformed(name: "duplicate rule id", yaml: rule + rule.replacingOccurrences(of: "rules:\n", with: ""),
              expected: "7:9: rules[1].id: the id 'r1' is already used at FILE:2:5 (rule ids must be unique)"),
    Malformed(name: "detector without category", yaml: "detectors:\n  - id: d1\n    selections: {s: {phi: true}}\n    condition: s\n",
              expected: "2:5: detectors[0]: missing required key 'category'"),
    Malformed(name: "detector with actions", yaml: "detectors:\n  - id: d1\n    category: spam\n    selections: {s: {phi: true}}\n    condition: s\n    actions: [hide]\n",
              expected: "6:14: detectors[0].actions: a detector assigns a category and takes no actions (move the actions to a rule under 'rules:' with 'category: spam' in a selection)"),
    Malformed(name: "test case without text", yaml: rule + "    tests:\n      match:\n        - {context: []}\n",
              expected: "9:11: rules[0].tests.match[0]: missing required key 'text'"),
    Malformed(name: "unknown template placeholder", yaml: "templates:\n  t2: {text: \"Call {{suport_phone}}\"}\n",
              expected: "2:14: templates.t2.text: unknown placeholder '{{suport_phone}}' (did you mean '{{support_phone}}'?)"),
]

@Suite("malformed policy files: every problem with file:line:column, key path and hint")
struct MalformedPolicyTests {
    @Test("each malformed file gives its exact message", arguments: malformedCases)
    func malformed(_ testCase: Malformed) throws {
        let (file, lines) = try problems(testCase.yaml)
        let expected = "\(file):" + testCase.expected.replacingOccurrences(of: "FILE", with: file)
        #expect(lines.contains(expected), "got: \(lines)")
    }

    @Test("problems in several places are reported in one pass")
    func onePass() throws {
        let yaml = rule.replacingOccurrences(of: "{phi: true}", with: "{txt: [a]}").replacingOccurrences(of: "actions: [review]", with: "actions: [hyde]")
        let (_, lines) = try problems(yaml)
        #expect(lines.count == 3)
        #expect(lines.contains { $0.contains("unknown field 'txt'") })
        #expect(lines.contains { $0.contains("unknown action 'hyde'") })
        #expect(lines.contains { $0.contains("no actions: this rule would do nothing") })
    }

    @Test("the shipped policy pack is valid")
    func shippedPackIsValid() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let set = try PolicyLoader.load(directory: url.path + "/Policies")
        #expect(set.rules.count >= 5)
        #expect(set.detectors.count == 9)
        for rule in set.rules + set.detectors {
            #expect(rule.tests.match.count >= 5, "\(rule.id) needs 5 match cases")
            #expect(rule.tests.noMatch.count >= 5, "\(rule.id) needs 5 no_match cases")
        }
    }
}
