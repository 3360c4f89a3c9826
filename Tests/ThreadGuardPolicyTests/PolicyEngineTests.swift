import Testing
import ThreadGuardCore
import ThreadGuardDetect
@testable import ThreadGuardPolicy

@Suite("conditions")
struct ConditionTests {
    @Test("and, or, not and parentheses", arguments: [
        ("a and b", ["a", "b"], true), ("a and b", ["a"], false), ("a or b", ["b"], true), ("not a", [], true),
        ("a and (b or not c)", ["a"], true), ("a and (b or not c)", ["a", "c"], false), ("1 of s*", ["s2"], true),
        ("all of s*", ["s1"], false), ("all of them", ["a", "b", "c", "s1", "s2", "x"], true),
    ])
    func evaluate(_ text: String, _ held: [String], _ expected: Bool) throws {
        let condition = try ConditionParser.parse(text)
        let names = ["a", "b", "c", "s1", "s2", "x"].filter { text.contains("of") ? $0.hasPrefix("s") || text.contains("them") : true }
        #expect(condition.evaluate({ held.contains($0) }, names: names) == expected)
    }

    @Test("syntax errors say where", arguments: [("", 0), ("a and", 5), ("(a or b", 0), ("a b", 2), ("and a", 0)])
    func errors(_ text: String, _ offset: Int) {
        #expect(throws: ConditionParser.ParseError.self) { try ConditionParser.parse(text) }
        do { _ = try ConditionParser.parse(text) } catch let error as ConditionParser.ParseError {
            #expect(error.offset == offset)
        } catch {}
    }
}

@Suite("policy engine")
struct PolicyEngineTests {
    func engine(_ yaml: String) throws -> PolicyEngine {
        let (folder, _) = try policyFolder(yaml)
        return PolicyEngine(policies: try PolicyLoader.load(directory: folder))
    }

    func input(_ text: String, context: [ThreadContextEntry] = [], platform: Platform = .facebook) -> PolicyInput {
        let analysed = AnalysedText(text)
        return PolicyInput(text: analysed, raw: text, analysis: PHIClassifier().analyse(analysed), platform: platform, context: context)
    }

    @Test("a detector's category feeds the rules; shadow rules are recorded, not acted on")
    func detectorsThenRules() throws {
        let e = try engine("""
            detectors:
              - id: d.spam
                category: spam
                selections: {s: {text|includes-word: [giveaway, casino]}}
                condition: s
            rules:
              - id: r.hide-spam
                selections: {s: {category: spam}}
                condition: s
                actions: [hide]
              - id: r.shadow
                mode: shadow
                selections: {s: {category: spam}, yt: {platform: youtube}}
                condition: s and not yt
                actions: [{private_reply: {template: take_private}}]
            """)
        let outcome = e.evaluate(input("Huge GIVEAWAY today"))
        #expect(outcome.categories == [.spam])
        #expect(outcome.decision.actions == [.hide])
        #expect(outcome.shadowRules == ["r.shadow"])
        #expect(outcome.why["r.hide-spam"] == ["s"])
        #expect(e.evaluate(input("Nice post")).decision.actions.isEmpty)
    }

    @Test("when rules disagree, each action keeps its own rule's automation level; the reply keeps its template's rule's level; shadow actions are recorded")
    func perActionAutomation() throws {
        let e = try engine("""
            rules:
              - id: r.hide-phone
                priority: 80
                selections: {p: {text|includes-word: phone}}
                condition: p
                actions: [hide, {private_reply: {template: take_private}}]
              - id: r.careful-reply
                priority: 90
                automation: draft
                selections: {p: {text|includes-word: pump}}
                condition: p
                actions: [{private_reply: {template: product_safety}}, review]
              - id: r.flag-hide
                priority: 10
                automation: flag
                selections: {p: {text|includes-word: flagme}}
                condition: p
                actions: [hide]
              - id: r.shadow-escalate
                mode: shadow
                selections: {p: {text|includes-word: pump}}
                condition: p
                actions: [escalate, hide]
            templates:
              take_private: {text: "Please message us."}
              product_safety: {text: "Our safety team will call you."}
            """)
        let both = e.evaluate(input("my pump is broken, phone me")).decision
        #expect(both.automation(for: .hide) == "act", "the draft rule asked for no hide: the hide goes at once")
        #expect(both.replyTemplate == "product_safety" && both.automation(for: .privateReply) == "draft",
                "the reply is the higher-priority rule's, at that rule's level")
        #expect(both.automation == "draft", "the most careful level is still shown")
        #expect(both.shadowRules == ["r.shadow-escalate"] && both.shadowActions == [.escalate], "hide is enforced already; escalate is what the shadow rule adds")
        let flagged = e.evaluate(input("phone me, flagme")).decision
        #expect(flagged.automation(for: .hide) == "flag", "two rules ask for the hide: the most careful decides")
        #expect(flagged.automation(for: .privateReply) == "act")
    }

    @Test("score fields threshold the models' calibrated probabilities; without a model a detector's category counts as 1")
    func scoreFields() throws {
        let e = try engine("""
            detectors:
              - id: d.ae
                category: adverse_event
                selections: {s: {text|includes-word: [rash]}}
                condition: s
            rules:
              - id: r.safety
                selections: {likely: {score.adverse_event|gte: 0.3}}
                condition: likely
                actions: [adverse_event_report]
            """)
        #expect(e.evaluate(input("this gave me a rash")).decision.actions == [.adverseEventReport])
        #expect(e.evaluate(input("lovely colours")).decision.actions.isEmpty)
        var scored = input("my arm swelled up after it")
        var analysis = scored.analysis
        analysis.scores = ["adverse_event": 0.42]
        scored = PolicyInput(text: scored.text, raw: "my arm swelled up after it", analysis: analysis)
        #expect(e.evaluate(scored, categories: []).decision.actions == [.adverseEventReport])
        analysis.scores = ["adverse_event": 0.12]
        let low = PolicyInput(text: scored.text, raw: "my arm swelled up after it", analysis: analysis)
        #expect(e.evaluate(low, categories: []).decision.actions.isEmpty)
        // Every score field reads the category its name says, and no other field reads one.
        for field in Field.allCases {
            #expect(field.scoredCategory?.rawValue == (field.rawValue.hasPrefix("score.") ? String(field.rawValue.dropFirst(6)) : nil), "\(field)")
        }
    }

    @Test("text matching: words, phrases within N words, regex, starts-with, negation")
    func textMatching() throws {
        let e = try engine("""
            rules:
              - id: near
                selections: {s: {text|near: {a: [pump], b: [failed, broke], within: 3}}}
                condition: s
                actions: [review]
              - id: regex
                selections: {s: {text|regex: ['\\bRMA-\\d{4}\\b']}}
                condition: s
                actions: [label]
              - id: starts
                selections: {s: {text|starts-with: [ok so]}, n: {text|includes-word|not: [thanks]}}
                condition: s and n
                actions: [escalate]
            """)
        #expect(e.evaluate(input("my pump totally failed")).decision.rules == ["near"])
        #expect(e.evaluate(input("the pump is great but the app failed me all week long")).decision.rules.isEmpty)
        #expect(e.evaluate(input("return RMA-1234 please")).decision.rules == ["regex"])
        #expect(e.evaluate(input("Ok so the app froze")).decision.rules == ["starts"])
        #expect(e.evaluate(input("ok so thanks")).decision.rules.isEmpty)
    }

    @Test("several patterns of one check match as one alternation; a back-reference keeps its own pattern")
    func regexAlternation() throws {
        let e = try engine("""
            rules:
              - id: codes
                selections: {s: {text|regex: ['\\bRMA-\\d{4}\\b', '(?i)\\bcase (?:no\\.? )?\\d{6}\\b', '^urgent']}}
                condition: s
                actions: [label]
              - id: repeated
                selections: {s: {text|regex: ['\\b(\\w+) \\1\\b', '\\bzzz\\b']}}
                condition: s
                actions: [review]
            """)
        let codes = try #require(e.policies.rules.first { $0.id == "codes" })
        guard case .regex(let combined) = codes.checks[0].matcher else { Issue.record("not a regex check"); return }
        #expect(combined.count == 1, "three patterns, one expression")
        let repeated = try #require(e.policies.rules.first { $0.id == "repeated" })
        guard case .regex(let separate) = repeated.checks[0].matcher else { Issue.record("not a regex check"); return }
        #expect(separate.count == 2, "a back-reference would change its meaning inside an alternation")
        #expect(e.evaluate(input("return RMA-1234 please")).decision.rules == ["codes"])
        #expect(e.evaluate(input("about CASE NO. 123456 again")).decision.rules == ["codes"])
        #expect(e.evaluate(input("Urgent: call me")).decision.rules == ["codes"])
        #expect(e.evaluate(input("this is urgent")).decision.rules.isEmpty)
        #expect(e.evaluate(input("it was very very slow")).decision.rules == ["repeated"])
        #expect(e.evaluate(input("zzz")).decision.rules == ["repeated"])
        #expect(e.evaluate(input("RMA-12345 and case 12345")).decision.rules.isEmpty)
    }

    @Test("thread and PHI fields")
    func threadAndPHI() throws {
        let e = try engine("""
            rules:
              - id: third-party-under-brand
                selections:
                  third: {phi.subject: third_party}
                  brand_parent: {thread.parent_is_brand: true}
                  brand_post: {thread.brand_post|includes-word: [pump]}
                condition: third and brand_parent and brand_post
                actions: [hide]
              - id: direct
                selections: {d: {phi.types: [PHONE, EMAIL]}}
                condition: d
                actions: [review]
            """)
        let context = [ThreadContextEntry(role: .brand, text: "Our new pump is here")]
        #expect(e.evaluate(input("my mom's pump failed and she was in the hospital", context: context)).decision.rules == ["third-party-under-brand"])
        #expect(e.evaluate(input("my mom's pump failed and she was in the hospital")).decision.rules.isEmpty)
        #expect(e.evaluate(input("call 614-555-0199")).decision.rules == ["direct"])
    }

    @Test("templates render brand variables only, per language, within a platform's limit")
    func templates() {
        let template = ReplyTemplate(id: "t", text: "Call {{support_phone}} now, we are here to help you with anything at all",
                                     variants: ["es": "Llame al {{support_phone}}"], maxLength: ["x": 30])
        let variables = ["support_phone": "1-800-555-0100"]
        #expect(template.render(variables) == "Call 1-800-555-0100 now, we are here to help you with anything at all")
        #expect(template.render(variables, language: "es") == "Llame al 1-800-555-0100")
        let short = template.render(variables, platform: .x)
        #expect(short.count <= 30)
        #expect(short.hasSuffix("…"))
        #expect(ReplyTemplate(id: "t", text: "{{comment}} thanks").render(variables) == " thanks")
    }
}
