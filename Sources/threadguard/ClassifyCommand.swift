import ArgumentParser
import Foundation
import ThreadGuardCore
import ThreadGuardLearn
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

    @Option(help: "A model folder (threadguard.model) for the learned detectors; default: the shipped Models/ when present.")
    var model: String?

    @Flag(help: "Judge with the rules alone, without the learned detectors.")
    var rulesOnly = false

    func run() throws {
        let policySet: PolicySet
        do {
            policySet = try PolicyLoader.load(directory: policies ?? ShippedFolders.locate("Policies"))
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: the policies are invalid:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        let judge = Judge(policies: policySet, models: try ModelCommand.chosenModels(model, rulesOnly: rulesOnly))
        let descriptor: Int32
        if let file {
            descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                FileHandle.standardError.write(Data("threadguard: cannot read \(file): no such file or not readable\n".utf8))
                throw ExitCode(ExitCodes.dataError)
            }
        } else {
            descriptor = STDIN_FILENO
        }
        defer { if file != nil { close(descriptor) } }
        var output: [UInt8] = []
        output.reserveCapacity(1 << 21)
        var bad = 0
        // Read once: each read of a flag goes through its property wrapper (0.7% of the run when read per line).
        let explain = self.explain
        let source = file ?? "stdin"
        // The input is streamed a megabyte at a time: memory holds one line, never the whole input.
        let reader = LineReader(descriptor: descriptor, maxLineBytes: Self.maxLineBytes)
        do {
            try reader.forEachLine { line in
                switch line {
                case .tooLong(let number):
                    bad += 1
                    FileHandle.standardError.write(Data("threadguard: \(source):\(number): line longer than \(Self.maxLineBytes >> 20) MiB; skipped (split the comment or shorten it)\n".utf8))
                case .text(let bytes, let number):
                    if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
                    guard let comment = InputComment(line: bytes) else {
                        bad += 1
                        FileHandle.standardError.write(Data("threadguard: \(source):\(number): not a comment: each line must be a JSON object with string fields \"id\" and \"text\"\n".utf8))
                        return
                    }
                    let (analysis, decision) = judge.judge(text: comment.text, context: comment.context ?? [], platform: comment.platform,
                                                           kind: comment.kind, explain: explain)
                    VerdictLine.render(id: comment.id, analysis: analysis, decision: decision, explain: explain, into: &output)
                    output.append(UInt8(ascii: "\n"))
                    if output.count > 1 << 20 {
                        FileHandle.standardOutput.write(Data(output))
                        output.removeAll(keepingCapacity: true)
                    }
                }
            }
        } catch let error as LineReaderError {
            FileHandle.standardOutput.write(Data(output))
            FileHandle.standardError.write(Data("threadguard: \(source): \(error)\n".utf8))
            throw ExitCode(ExitCodes.dataError)
        }
        FileHandle.standardOutput.write(Data(output))
        if bad > 0 { throw ExitCode(ExitCodes.dataError) }
    }

    /// The longest input line read (a comment of a few MiB is judged on its first 65,536 characters; past this the
    /// line is skipped and reported).
    static let maxLineBytes = 64 << 20
}

/// One input line: `{"id": "…" or a number, "text": "…", "context": [{"role": "brand"|"user", "text": "…"}]}`.
/// A malformed `context` is ignored rather than losing the comment.
struct InputComment {
    var id: String
    var text: String
    var context: [ThreadContextEntry]?
    var platform: Platform = .facebook
    var kind: ItemKind = .comment

    init?(line: UnsafeBufferPointer<UInt8>) {
        // Members are visited rather than collected into a dictionary: this runs once per comment.
        var idValue: JSONValue?, textValue: JSONValue?, contextValue: JSONValue?
        var platform: Platform?, kind: ItemKind?
        let isObject = JSONValue.visitMembers(line) { key, value in
            switch key {
            case "id": idValue = value
            case "text": textValue = value
            case "context": contextValue = value
            case "platform": platform = value.text.flatMap(Platform.init(rawValue:))
            case "kind": kind = value.text.flatMap(ItemKind.init(rawValue:))
            default: break
            }
        }
        self.platform = platform ?? .facebook
        self.kind = kind ?? .comment
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
