import ArgumentParser
import Foundation
import ThreadGuardConnect
import ThreadGuardYAML

struct ConnectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connector",
        abstract: "Check the connector manifests in Connectors/.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the manifests: every problem at once, with file:line:column.")
        @Argument(help: "Only this connector (its manifest name).") var name: String?
        @Option(help: "The connectors folder (default: the shipped Connectors/).") var directory: String?

        func run() throws {
            let folder = directory ?? ShippedFolders.locate("Connectors")
            do {
                let registry = try ConnectorRegistry(directory: folder)
                if let name {
                    guard let manifest = registry.manifests[name] else {
                        throw ValidationError("no connector named '\(name)' in \(folder); known: \(registry.manifests.keys.sorted().joined(separator: ", "))")
                    }
                    let streams = manifest.streams.map { stream in stream.parent.map { "\(stream.name) (per \($0))" } ?? stream.name }.joined(separator: ", ")
                    let actions = manifest.actions.keys.map(\.rawValue).sorted().joined(separator: ", ")
                    print("\(name): OK — \(manifest.platform.rawValue) at \(manifest.baseURL), \(manifest.auth.kind.rawValue) auth; streams: \(streams); actions: \(actions)")
                } else {
                    print("\(folder): OK — \(registry.manifests.keys.sorted().joined(separator: ", "))")
                }
            } catch let error as YAMLIssues {
                FileHandle.standardError.write(Data("\(error)\n\(error.issues.count) problem(s) in \(folder)\n".utf8))
                throw ExitCode(ExitCodes.configError)
            }
        }
    }
}
