import Foundation
import ThreadGuardCore
import ThreadGuardDetect

/// Decides whether one field check holds for an input, and says why.
enum CheckEvaluator {
    static func holds(_ check: CompiledCheck, _ input: PolicyInput) -> Bool {
        let result: Bool
        if check.slot >= 0, check.slot < input.checkCache.count {
            if input.checkCache[check.slot] >= 0 {
                result = input.checkCache[check.slot] == 1
            } else {
                result = raw(check, input)
                input.checkCache[check.slot] = result ? 1 : 0
            }
        } else {
            result = raw(check, input)
        }
        return check.negate ? !result : result
    }

    static func raw(_ check: CompiledCheck, _ input: PolicyInput) -> Bool {
        switch check.field {
        case .text: return matchText(check.matcher, input, substringsWithoutLetters: check.substringsWithoutLetters)
        case .author: return matchString(check.matcher, input.author)
        case .brandPost:
            guard let post = input.context.first(where: { $0.role == .brand }) else { return false }
            return matchString(check.matcher, post.text)
        case .parentText:
            guard let parent = input.context.last else { return false }
            return matchString(check.matcher, parent.text)
        case .siblings: return input.siblings.contains { matchString(check.matcher, $0) }
        case .platform: return oneOf(check.matcher, input.platform.rawValue)
        case .kind: return oneOf(check.matcher, input.kind.rawValue)
        case .isBrand: return bool(check.matcher, input.isBrand)
        case .ageHours: return number(check.matcher, input.ageHours)
        case .phi: return bool(check.matcher, input.analysis.phi)
        case .health: return bool(check.matcher, input.analysis.findings.contains { $0.type == .health })
        case .phiScore: return number(check.matcher, input.analysis.score)
        case .scoreAdverseEvent, .scoreMedicalAdvice, .scoreComplaint, .scoreDistress, .scoreOffLabel, .scoreMisinformation, .scoreCompetitor,
             .scoreSpam, .scoreAbuse:
            let category = check.field.scoredCategory!
            return number(check.matcher, input.analysis.scores?[category.rawValue] ?? (input.categories.contains(category) ? 1 : 0))
        // Findings are counted and searched in place: `identifierFindings` would make an array per check.
        case .phiCount: return number(check.matcher, Double(input.analysis.findings.reduce(0) { $0 + ($1.type.isIdentifier ? 1 : 0) }))
        case .phiDirect: return bool(check.matcher, input.analysis.findings.contains { $0.type.isDirectIdentifier || $0.subtype == "date_of_birth" || $0.subtype == "street_address" })
        case .phiTypes:
            guard case .oneOf(let types) = check.matcher else { return false }
            return input.analysis.findings.contains { $0.type.isIdentifier && types.contains($0.type.rawValue) }
        case .phiSubject:
            guard case .oneOf(let subjects) = check.matcher else { return false }
            let subject = input.analysis.phi ? input.analysis.subject : .none
            if subjects.contains("third_party"), [.relative, .namedPerson, .facilityResidents].contains(subject) { return true }
            return subjects.contains(subject.rawValue)
        case .category:
            guard case .oneOf(let categories) = check.matcher else { return false }
            return input.categories.contains { categories.contains($0.rawValue) }
        case .parentIsBrand: return bool(check.matcher, input.context.last?.role == .brand)
        case .rootIsBrand: return bool(check.matcher, input.context.first?.role == .brand)
        case .depth: return number(check.matcher, Double(input.context.count))
        }
    }

    static func bool(_ matcher: FieldCheck.Matcher, _ value: Bool) -> Bool {
        if case .bool(let expected) = matcher { return value == expected }
        return false
    }

    static func oneOf(_ matcher: FieldCheck.Matcher, _ value: String) -> Bool {
        if case .oneOf(let values) = matcher { return values.contains(value) }
        return false
    }

    static func number(_ matcher: FieldCheck.Matcher, _ value: Double) -> Bool {
        guard case .number(let comparison, let threshold) = matcher else { return false }
        switch comparison {
        case .eq: return value == threshold
        case .gte: return value >= threshold
        case .gt: return value > threshold
        case .lte: return value <= threshold
        case .lt: return value < threshold
        }
    }

    /// Text of the comment: word matches use its tokens; substrings of letters use the lower-cased text (made on
    /// first need), substrings without letters ("?", "$") the text as written.
    static func matchText(_ matcher: FieldCheck.Matcher, _ input: PolicyInput, substringsWithoutLetters: Bool) -> Bool {
        switch matcher {
        case .substrings(let parts) where substringsWithoutLetters:
            return parts.contains { ByteSearch.contains(input.raw, $0) }
        case .regex(let patterns):
            // The comment as written (offsets in the original), made once per comment for every pattern. A pattern
            // runs only when the comment has the strings it needs.
            let text = input.originalText
            let range = NSRange(text.startIndex..., in: text)
            return patterns.contains {
                $0.literals.mayMatch(text, foldsToItself: input.foldsToItself) && $0.regex.firstMatch(in: text, options: [], range: range) != nil
            }
        case .words(let table, _):
            // From the one pass over the comment, when the table is one the policy set's index numbered.
            if let hits = input.phraseHits, table.isEntry(of: input.phraseTables) { return hits.contains(table.number) }
            return table.phrases.occurs(in: input.text)
        case .near(let a, let b, _):
            // Both sides must occur somewhere before it is worth asking how far apart.
            if let hits = input.phraseHits, a.isEntry(of: input.phraseTables), b.isEntry(of: input.phraseTables),
               !hits.contains(a.number) || !hits.contains(b.number) { return false }
            return matchText(matcher, tokens: input.text.tokens, lower: "", original: input.text)
        default:
            return matchString(matcher, input.lowerText, alreadyLower: true)
        }
    }

    static func matchText(_ matcher: FieldCheck.Matcher, tokens: [Token], lower: String, original: AnalysedText) -> Bool {
        switch matcher {
        case .words(let table, _):
            return table.phrases.occurs(in: original)
        case .near(let a, let b, let within):
            guard a.phrases.mayOccur(in: original), b.phrases.mayOccur(in: original) else { return false }
            // One pass, remembering where each side last matched.
            var lastA = Int.min / 2, lastB = Int.min / 2
            for k in tokens.indices {
                if a.phrases.matchLength(at: k, in: tokens) != nil {
                    if k - lastB <= within { return true }
                    lastA = k
                }
                if b.phrases.matchLength(at: k, in: tokens) != nil {
                    if k - lastA <= within { return true }
                    lastB = k
                }
            }
            return false
        case .regex(let patterns):
            let text = String(String.UnicodeScalarView(original.text.original))
            let range = NSRange(text.startIndex..., in: text)
            return patterns.contains { $0.regex.firstMatch(in: text, options: [], range: range) != nil }
        default:
            return matchString(matcher, lower, alreadyLower: true)
        }
    }

    /// Text of another field (author, thread): matched as plain lower-cased text.
    static func matchString(_ matcher: FieldCheck.Matcher, _ value: String, alreadyLower: Bool = false) -> Bool {
        let text = alreadyLower ? value : value.lowercased()
        switch matcher {
        case .substrings(let parts): return parts.contains { ByteSearch.contains(text, $0) }
        case .prefixes(let parts): return parts.contains { text.hasPrefix($0) }
        case .suffixes(let parts): return parts.contains { text.hasSuffix($0) }
        case .words, .near:
            let analysed = AnalysedText(value)
            return matchText(matcher, tokens: analysed.tokens, lower: text, original: analysed)
        case .regex(let patterns):
            let range = NSRange(value.startIndex..., in: value)
            return patterns.contains { $0.regex.firstMatch(in: value, options: [], range: range) != nil }
        case .number, .bool, .oneOf: return false
        }
    }
}
