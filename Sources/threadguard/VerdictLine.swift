import Foundation
import ThreadGuardCore

/// The `classify` output line of DESIGN.md, written by hand for speed with a fixed key order.
enum VerdictLine {
    static func render(id: String, analysis: Analysis, decision: Decision, explain: Bool) -> Data {
        var s = "{\"id\": \(quote(id)), \"phi\": \(analysis.phi), \"score\": \(number(analysis.score)), \"findings\": ["
        for (index, finding) in analysis.findings.enumerated() {
            if index > 0 { s += ", " }
            s += "{\"type\": \"\(finding.type.rawValue)\", \"start\": \(finding.start), \"end\": \(finding.end), "
            s += "\"score\": \(number(finding.score)), \"recognizer\": \(quote(finding.recognizer))"
            if let subtype = finding.subtype { s += ", \"subtype\": \(quote(subtype))" }
            if explain { s += ", \"explanation\": [" + finding.explanation.map(quote).joined(separator: ", ") + "]" }
            s += "}"
        }
        s += "], \"categories\": [" + analysis.categories.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]"
        s += ", \"actions\": [" + decision.actions.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]"
        s += ", \"rules\": [" + decision.rules.map(quote).joined(separator: ", ") + "]"
        if explain {
            if let normalized = analysis.normalizedText { s += ", \"normalized\": \(quote(normalized))" }
            s += ", \"subject\": \"\(analysis.subject.rawValue)\", \"explanation\": [" + analysis.explanation.map(quote).joined(separator: ", ") + "]"
        }
        s += "}"
        return Data(s.utf8)
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(format: "%.1f", rounded) : String(rounded)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
