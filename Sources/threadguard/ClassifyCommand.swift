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
        var lineNumber = 0
        var lineStart = data.startIndex
        while lineStart < data.endIndex {
            let lineEnd = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let line = data[lineStart..<lineEnd]
            lineStart = lineEnd < data.endIndex ? data.index(after: lineEnd) : data.endIndex
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let comment = try? JSONDecoder().decode(InputComment.self, from: Data(line)) else {
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
        FileHandle.standardOutput.write(Data(output))
        if bad > 0 { throw ExitCode(ExitCodes.dataError) }
    }
}

struct InputComment: Decodable {
    var id: String
    var text: String
    var context: [ThreadContextEntry]?

    enum CodingKeys: String, CodingKey { case id, text, context }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? container.decode(String.self, forKey: .id) {
            id = text
        } else {
            id = String(try container.decode(Int.self, forKey: .id))
        }
        text = try container.decode(String.self, forKey: .text)
        context = try? container.decodeIfPresent([ThreadContextEntry].self, forKey: .context)
    }
}
