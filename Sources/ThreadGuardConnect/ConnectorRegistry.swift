import Foundation
import Logging
import ThreadGuardHTTP
import ThreadGuardYAML

/// The manifests found in a connectors folder, and the connector each source needs.
public struct ConnectorRegistry: Sendable {
    public let manifests: [String: ConnectorManifest]

    /// Loads every `*.yaml` in `directory`; all problems are reported together.
    public init(directory: String) throws {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory))?
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted() ?? []
        guard !files.isEmpty else {
            throw YAMLIssues([YAMLIssue(file: directory, line: 1, column: 1, path: "",
                                        message: "no connector manifests (*.yaml) in this folder", hint: "point 'connectors' at the Connectors folder")])
        }
        var manifests: [String: ConnectorManifest] = [:]
        var issues: [YAMLIssue] = []
        for file in files {
            do {
                let manifest = try ConnectorManifest.load(file: (directory as NSString).appendingPathComponent(file))
                manifests[manifest.name] = manifest
            } catch let error as YAMLIssues {
                issues += error.issues
            }
        }
        if !issues.isEmpty { throw YAMLIssues(issues) }
        self.manifests = manifests
    }

    /// The connector for `source`, with its token read from the environment.
    public func connector(for source: SourceConfig, http: any HTTPTransport, environment: [String: String], logger: Logger) throws -> any PlatformConnector {
        guard let manifest = manifests[source.connector] else {
            throw ConnectorError.permanent(source: source.name, detail: "no connector named '\(source.connector)'; known: \(manifests.keys.sorted().joined(separator: ", "))")
        }
        guard let token = environment[source.tokenEnv], !token.isEmpty else {
            throw ConnectorError.needsNewToken(source: source.name, detail: "the environment variable \(source.tokenEnv) is not set")
        }
        switch manifest.platform {
        case .facebook:
            return FacebookConnector(source: source, manifest: manifest, http: http, token: token, logger: logger)
        default:
            throw ConnectorError.unsupported("the \(manifest.platform.rawValue) connector (it arrives with the connectors issue)")
        }
    }
}
