import Foundation
import ThreadGuardCore

/// The `classify` output line of DESIGN.md, written straight into bytes with a fixed key order (it runs
/// once per comment, so it avoids building intermediate strings).
enum VerdictLine {
    static func render(id: String, analysis: Analysis, decision: Decision, explain: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: "{\"id\": ".utf8)
        quote(id, &out)
        out.append(contentsOf: ", \"phi\": ".utf8)
        out.append(contentsOf: (analysis.phi ? "true" : "false").utf8)
        out.append(contentsOf: ", \"score\": ".utf8)
        number(analysis.score, &out)
        out.append(contentsOf: ", \"findings\": [".utf8)
        for (index, finding) in analysis.findings.enumerated() {
            if index > 0 { separator(&out) }
            out.append(contentsOf: "{\"type\": \"".utf8)
            out.append(contentsOf: finding.type.rawValue.utf8)
            out.append(contentsOf: "\", \"start\": ".utf8)
            integer(finding.start, &out)
            out.append(contentsOf: ", \"end\": ".utf8)
            integer(finding.end, &out)
            out.append(contentsOf: ", \"score\": ".utf8)
            number(finding.score, &out)
            out.append(contentsOf: ", \"recognizer\": ".utf8)
            quote(finding.recognizer, &out)
            if let subtype = finding.subtype {
                out.append(contentsOf: ", \"subtype\": ".utf8)
                quote(subtype, &out)
            }
            if explain {
                out.append(contentsOf: ", \"explanation\": ".utf8)
                list(finding.explanation, &out)
            }
            out.append(125)
        }
        out.append(contentsOf: "], \"categories\": ".utf8)
        list(analysis.categories.lazy.map(\.rawValue), &out)
        out.append(contentsOf: ", \"actions\": ".utf8)
        list(decision.actions.lazy.map(\.rawValue), &out)
        out.append(contentsOf: ", \"rules\": ".utf8)
        list(decision.rules, &out)
        if let scores = analysis.scores {
            // The learned models' calibrated probabilities, by label name.
            out.append(contentsOf: ", \"scores\": {".utf8)
            for (index, (label, value)) in scores.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { separator(&out) }
                quote(label, &out)
                out.append(contentsOf: ": ".utf8)
                number(value, &out)
            }
            out.append(125)
        }
        if explain {
            if let normalized = analysis.normalizedText {
                out.append(contentsOf: ", \"normalized\": ".utf8)
                quote(normalized, &out)
            }
            out.append(contentsOf: ", \"subject\": ".utf8)
            quote(analysis.subject.rawValue, &out)
            out.append(contentsOf: ", \"explanation\": ".utf8)
            list(analysis.explanation, &out)
        }
        out.append(125)
    }

    static func list<Values: Sequence<String>>(_ values: Values, _ out: inout [UInt8]) {
        out.append(91)
        var first = true
        for value in values {
            if !first { separator(&out) }
            first = false
            quote(value, &out)
        }
        out.append(93)
    }

    /// ", " between the items of a list (an array literal here would be allocated for every item).
    @inline(__always) static func separator(_ out: inout [UInt8]) {
        out.append(44)
        out.append(32)
    }

    /// An offset in decimal, written digit by digit from the highest without making a string or an array.
    static func integer(_ value: Int, _ out: inout [UInt8]) {
        guard value >= 0 else {
            out.append(contentsOf: String(value).utf8)
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(48 + (value / divisor) % 10))
            divisor /= 10
        }
    }

    /// Scores are in [0, 1] with at most three decimals: "0.9", "0.85", "1.0".
    static func number(_ value: Double, _ out: inout [UInt8]) {
        var thousandths = Int((value * 1000).rounded())
        if thousandths < 0 { out.append(45); thousandths = -thousandths }
        integer(thousandths / 1000, &out)
        out.append(46)
        var fraction = thousandths % 1000
        if fraction == 0 { out.append(48); return }
        // Up to three digits, without the trailing zeros.
        while fraction > 0 {
            out.append(UInt8(48 + fraction / 100))
            fraction = (fraction % 100) * 10
        }
    }

    static func quote(_ text: String, _ out: inout [UInt8]) {
        JSONText.quote(text, into: &out)
    }
}
