/// A necessary condition for a rule, read off its condition: word lists of which at least one must occur in the
/// comment's text for the rule to be able to fire. Most rules need a word that most comments lack, so the
/// engine skips them with a few bit tests instead of evaluating their selections.
///
/// - A selection needs each word list it checks the text against (without `not`); one of them stands for it.
/// - `a and b` needs what either side needs; `a or b` needs one of what each side needs; `not a` needs nothing
///   known, and neither does a selection without a word check.
enum WordGate {
    /// The lists of which one must occur, or nil when the rule may fire without any.
    static func required(_ rule: PolicyRule) -> [PhraseTable]? {
        let nodes = rule.compiled.nodes
        guard !nodes.isEmpty else { return nil }
        return required(node: nodes.count - 1, rule)
    }

    private static func required(node n: Int, _ rule: PolicyRule) -> [PhraseTable]? {
        let node = rule.compiled.nodes[n]
        switch node.kind {
        case .selection: return required(selection: Int(node.a), rule)
        case .never: return []
        case .not: return nil
        case .and: return tighter(required(node: Int(node.a), rule), required(node: Int(node.b), rule))
        case .or: return either([required(node: Int(node.a), rule), required(node: Int(node.b), rule)])
        case .any, .all:
            let members = (Int(node.a)..<Int(node.a + node.b)).map { required(selection: Int(rule.compiled.indices[$0]), rule) }
            return node.kind == .any ? either(members) : members.reduce(nil, tighter)
        }
    }

    private static func required(selection index: Int, _ rule: PolicyRule) -> [PhraseTable]? {
        for check in rule.checks[rule.checkRange(ofSelection: index)] where check.field == .text && !check.negate {
            switch check.matcher {
            case .words(let table, _): return [table]
            case .near(let a, _, _): return [a]
            default: continue
            }
        }
        return nil
    }

    /// Both must hold: either side's need will do; the one with fewer lists rules out more.
    private static func tighter(_ a: [PhraseTable]?, _ b: [PhraseTable]?) -> [PhraseTable]? {
        guard let a else { return b }
        guard let b else { return a }
        return a.count <= b.count ? a : b
    }

    /// One of them must hold: one of their lists must occur (unknown if any side needs nothing known).
    private static func either(_ sides: [[PhraseTable]?]) -> [PhraseTable]? {
        var all: [PhraseTable] = []
        for side in sides {
            guard let side else { return nil }
            for table in side where !all.contains(where: { $0 === table }) { all.append(table) }
        }
        return all
    }
}
