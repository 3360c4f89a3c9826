import ArgumentParser
import Foundation
import ThreadGuardCore
import ThreadGuardPolicy
import ThreadGuardWorkflow
import ThreadGuardYAML

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify comments given as JSON lines (id, text, optional context); print one verdict line per comment.")

    @Argument(help: "A JSON-lines file; standard input when absent.")
    var file: String?

    @Option(help: "The policies folder (default: the shipped Policies/).")
    var policies: String?

    @Flag(help: "Show for each finding the recognizer, pattern, context words and score steps.")
    var explain = false

    func run() throws {
        let policySet: PolicySet
        do {
            policySet = try PolicyLoader.load(directory: policies ?? ShippedFolders.locate("Policies"))
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: the policies are invalid:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        let judge = Judge(policies: policySet)
        let input: FileHandle
        if let file {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                FileHandle.standardError.write(Data("threadguard: cannot read \(file): no such file or not readable\n".utf8))
                throw ExitCode(ExitCodes.dataError)
            }
            input = handle
        } else {
            input = FileHandle.standardInput
        }
        let data = input.readDataToEndOfFile()
        var output: [UInt8] = []
        output.reserveCapacity(1 << 21)
        var bad = 0
        // Read once: each read of a flag goes through its property wrapper (0.7% of the run when read per line).
        let explain = self.explain
        // Lines are found in the raw bytes: subscripting `Data` byte by byte costs an exclusivity check each.
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lineNumber = 0
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                lineStart = lineEnd + 1
                lineNumber += 1
                if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                guard let comment = InputComment(line: line) else {
                    bad += 1
                    FileHandle.standardError.write(Data("threadguard: \(file ?? "stdin"):\(lineNumber): not a comment: each line must be a JSON object with string fields \"id\" and \"text\"\n".utf8))
                    continue
                }
                let (analysis, decision) = judge.judge(text: comment.text, context: comment.context ?? [], explain: explain)
                VerdictLine.render(id: comment.id, analysis: analysis, decision: decision, explain: explain, into: &output)
                output.append(UInt8(ascii: "\n"))
                if output.count > 1 << 20 {
                    FileHandle.standardOutput.write(Data(output))
                    output.removeAll(keepingCapacity: true)
                }
            }
        }
        FileHandle.standardOutput.write(Data(output))
        if bad > 0 { throw ExitCode(ExitCodes.dataError) }
    }
}

/// One input line: `{"id": "…" or a number, "text": "…", "context": [{"role": "brand"|"user", "text": "…"}]}`.
/// A malformed `context` is ignored rather than losing the comment.
struct InputComment {
    var id: String
    var text: String
    var context: [ThreadContextEntry]?

    init?(line: UnsafeBufferPointer<UInt8>) {
        // Members are visited rather than collected into a dictionary: this runs once per comment.
        var idValue: JSONValue?, textValue: JSONValue?, contextValue: JSONValue?
        let isObject = JSONValue.visitMembers(line) { key, value in
            switch key {
            case "id": idValue = value
            case "text": textValue = value
            case "context": contextValue = value
            default: break
            }
        }
        guard isObject, case .string(let text)? = textValue else { return nil }
        switch idValue {
        case .string(let value)?: id = value
        case .number(let value)? where value.rounded() == value && abs(value) < 1e15: id = String(Int64(value))
        default: return nil
        }
        self.text = text
        context = contextValue?.array?.compactMap { entry in
            guard let role = entry["role"].flatMap({ $0.text }).flatMap(ThreadContextEntry.Role.init(rawValue:)),
                  case .string(let text)? = entry["text"] else { return nil }
            return ThreadContextEntry(role: role, text: text)
        }
    }
}
