import Foundation
import ThreadGuardCore
import ThreadGuardStore

/// Flagged comments shown with every identifier replaced by its type, for summaries.
public enum Examples {
    public static func masked(database: any Store, limit: Int) throws -> [String] {
        var lines: [String] = []
        for record in try database.allItems() where !record.isBrand {
            guard lines.count < limit, let id = record.id, let decision = try database.decision(itemID: id),
                  decision.phi, let decisionID = decision.id
            else { continue }
            let findings = try database.findings(decisionID: decisionID).filter { $0.type != "HEALTH" }
            guard !findings.isEmpty else { continue }
            let actions = (try? JSONSerialization.jsonObject(with: Data(decision.actions.utf8)) as? [String]) ?? []
            let line = "[\(actions.joined(separator: ","))] " + TerminalText.escaped(truncate(mask(record.text, findings), 96))
            if !lines.contains(line) { lines.append(line) }
        }
        return lines
    }

    /// Replaces each finding's code-point range with `[TYPE]` (overlapping findings: the first one covers both).
    public static func mask(_ text: String, _ findings: [FindingRecord]) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var at = 0
        for finding in findings.sorted(by: { $0.start < $1.start })
        where finding.start >= 0 && finding.start < finding.end && finding.end <= scalars.count {
            if finding.start >= at {
                out.append(contentsOf: scalars[at..<finding.start])
                out.append(contentsOf: "[\(finding.type)]".unicodeScalars)
                at = finding.end
            } else if finding.end > at {
                at = finding.end
            }
        }
        out.append(contentsOf: scalars[at...])
        return String(out)
    }

    static func truncate(_ text: String, _ length: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= length ? flat : String(flat.prefix(length - 1)) + "…"
    }
}
