import Foundation
import ThreadGuardStore

/// A comment's text with its identifier findings highlighted: masked (`[PHONE]`) until revealed, one at a time.
enum MaskedText {
    /// `revealed`: the findings shown as they are (each one's reveal is audited). `limit`: at most this many
    /// characters of the comment are shown (a preview), counted after masking, so a cut never falls inside an
    /// identifier: a masked span is shown whole as its label or not at all.
    static func render(_ text: String, findings: [FindingRecord], revealed: Set<Int64> = [], limit: Int? = nil, into html: inout HTML) {
        let scalars = Array(text.unicodeScalars)
        let spans = findings.filter { $0.type != "HEALTH" && $0.start >= 0 && $0.start < $0.end && $0.end <= scalars.count }
            .sorted { $0.start < $1.start }
        var at = 0
        var budget = limit ?? Int.max
        func piece(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(scalars[from..<to])) }
        /// Plain text up to the budget; false once the budget is spent.
        func plain(_ from: Int, _ to: Int) -> Bool {
            guard from < to else { return true }
            let shown = min(to - from, budget)
            html.text(piece(from, from + shown))
            budget -= shown
            return shown == to - from
        }
        for span in spans where span.start >= at {
            guard plain(at, span.start), budget > 0 else {
                html.text("…")
                return
            }
            let label = span.type.replacingOccurrences(of: "_", with: " ")
            let reveal = span.id.map(revealed.contains) ?? false
            if reveal {
                html.element("mark", [("class", "phi revealed"), ("title", "\(label) (\(span.recognizer), score \(String(format: "%.2f", span.score)))")], text: piece(span.start, span.end))
            } else {
                html.element("mark", [("class", "phi masked"), ("data-finding", span.id.map(String.init)), ("title", "\(label) found by \(span.recognizer); reveal to see it")], text: "[\(span.type)]")
            }
            budget -= min(budget, reveal ? span.end - span.start : span.type.count + 2)
            at = span.end
        }
        if !plain(at, scalars.count) { html.text("…") }
    }

    /// The text a finding covers (empty when its span does not fit the text).
    static func piece(_ text: String, _ finding: FindingRecord) -> String {
        let scalars = Array(text.unicodeScalars)
        guard finding.start >= 0, finding.start < finding.end, finding.end <= scalars.count else { return "" }
        return String(String.UnicodeScalarView(scalars[finding.start..<finding.end]))
    }
}
