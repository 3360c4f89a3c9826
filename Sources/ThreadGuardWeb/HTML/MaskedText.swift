import Foundation
import ThreadGuardStore

/// A comment's text with its identifier findings highlighted: masked (`[PHONE]`) until revealed.
enum MaskedText {
    static func render(_ text: String, findings: [FindingRecord], reveal: Bool, into html: inout HTML) {
        let scalars = Array(text.unicodeScalars)
        let spans = findings.filter { $0.type != "HEALTH" && $0.start < $0.end && $0.end <= scalars.count }.sorted { $0.start < $1.start }
        var at = 0
        func piece(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(scalars[from..<to])) }
        for span in spans where span.start >= at {
            html.text(piece(at, span.start))
            let label = span.type.replacingOccurrences(of: "_", with: " ")
            if reveal {
                html.element("mark", [("class", "phi revealed"), ("title", "\(label) (\(span.recognizer), score \(String(format: "%.2f", span.score)))")], text: piece(span.start, span.end))
            } else {
                html.element("mark", [("class", "phi masked"), ("title", "\(label) found by \(span.recognizer); reveal to see it")], text: "[\(span.type)]")
            }
            at = span.end
        }
        html.text(piece(at, scalars.count))
    }
}
