import Foundation
import ThreadGuardCore

/// One labelled comment, as `../shared/eval/GUIDELINES.md` describes it (and the reviewers' exported labels).
public struct LabelledComment: Sendable {
    public struct Span: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var type: String
    }

    public var id: String
    /// The file (world) it came from: folds never split a world.
    public var world: String
    public var text: String
    public var context: [ThreadContextEntry]
    public var platform: String
    public var kind: String
    public var phi: Bool
    public var spans: [Span]
    /// False when the identifiers were not labelled (a review that only says "false alarm"): the tagger skips it.
    public var spansKnown: Bool = true
    public var categories: Set<String>
    public var hide: Bool
    public var privateReply: Bool
    /// Whose health a `phi` comment discloses: self, third, both; nil when unknown.
    public var about: String?
    /// How much the comment counts in training (reviewers' labels may be given less).
    public var weight: Float = 1
    /// The comment-level labels this comment speaks for; nil: all of them. Text labelled by other teams to one
    /// question ("is this abusive?") says nothing about the rest.
    public var knownLabels: Set<String>?
    /// Learned from, never scored: other teams' text (it is not a world of comments like ours).
    public var trainingOnly = false
}

/// Reading labelled JSON lines, with errors that name the file and line.
public enum LabelledCorpus {
    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// A set labelled by another team for one of our categories: a folder with `gold.jsonl` (`id`, `label`) and the
    /// texts (`FOLDER-NAME.jsonl`: `id`, `text`, optional `platform`). Only `category` is known of each text; none is
    /// scored; identifiers were not labelled.
    public static func loadOneCategory(_ folder: String, category: String, weight: Float) throws -> [LabelledComment] {
        let name = (folder as NSString).lastPathComponent
        let gold = try rows(folder + "/gold.jsonl")
        var labels: [String: Bool] = [:]
        for (line, row) in gold {
            guard let id = row["id"] as? String, let label = row["label"] as? Bool else {
                throw Problem(file: folder + "/gold.jsonl", line: line, message: "each line needs \"id\" and a true or false \"label\"")
            }
            labels[id] = label
        }
        return try rows(folder + "/\(name).jsonl").compactMap { line, row in
            guard let id = row["id"] as? String, let text = row["text"] as? String else {
                throw Problem(file: folder + "/\(name).jsonl", line: line, message: "each line needs \"id\" and \"text\"")
            }
            guard let label = labels[id] else { return nil }
            return LabelledComment(id: id, world: name, text: text, context: [], platform: row["platform"] as? String ?? "facebook",
                                   kind: "comment", phi: false, spans: [], spansKnown: false, categories: label ? [category] : [],
                                   hide: false, privateReply: false, about: nil, weight: weight, knownLabels: [category], trainingOnly: true)
        }
    }

    /// The JSON objects of a JSON-lines file with their line numbers (blank lines skipped).
    static func rows(_ path: String) throws -> [(Int, [String: Any])] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(file: path, line: 0, message: "cannot read the file") }
        var out: [(Int, [String: Any])] = []
        for (index, raw) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if raw.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let row = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any] else {
                throw Problem(file: path, line: index + 1, message: "not a JSON object")
            }
            out.append((index + 1, row))
        }
        return out
    }

    public static func load(_ path: String, world: String? = nil) throws -> [LabelledComment] {
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var out: [LabelledComment] = []
        for (line, row) in try rows(path) {
            // Labels exported without their text: nothing to learn from here.
            if row["text"] is NSNull { continue }
            guard let text = row["text"] as? String else { throw Problem(file: path, line: line, message: "no \"text\"") }
            let name = world ?? (row["world"] as? String) ?? fileName
            let id = (row["id"] as? String) ?? (row["id"] as? NSNumber)?.stringValue ?? "\(name):\(line)"
            let context = (row["context"] as? [[String: Any]] ?? []).compactMap { entry -> ThreadContextEntry? in
                guard let role = (entry["role"] as? String).flatMap(ThreadContextEntry.Role.init(rawValue:)), let text = entry["text"] as? String else { return nil }
                return ThreadContextEntry(role: role, text: text)
            }
            let spans = (row["spans"] as? [[String: Any]] ?? []).compactMap { span -> LabelledComment.Span? in
                guard let start = span["start"] as? Int, let end = span["end"] as? Int, let type = span["type"] as? String, start < end else { return nil }
                return LabelledComment.Span(start: start, end: end, type: type)
            }
            out.append(LabelledComment(
                id: id, world: name, text: text, context: context, platform: row["platform"] as? String ?? "facebook",
                kind: row["kind"] as? String ?? "comment", phi: row["phi"] as? Bool ?? false, spans: spans, spansKnown: !(row["spans"] is NSNull),
                categories: Set(row["categories"] as? [String] ?? []), hide: row["hide"] as? Bool ?? false,
                privateReply: row["private_reply"] as? Bool ?? false, about: row["about"] as? String,
                weight: Float((row["weight"] as? Double) ?? 1)))
        }
        return out
    }
}
