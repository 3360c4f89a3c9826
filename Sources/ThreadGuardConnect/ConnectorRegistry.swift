import Foundation
import Logging
import ThreadGuardHTTP
import ThreadGuardYAML

/// The manifests found in a connectors folder, and the connector each source needs.
public struct ConnectorRegistry: Sendable {
    public let manifests: [String: DeclarativeManifest]

    /// Loads every `*.yaml` in `directory`; all problems are reported together.
    public init(directory: String) throws {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory))?
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted() ?? []
        guard !files.isEmpty else {
            throw YAMLIssues([YAMLIssue(file: directory, line: 1, column: 1, path: "",
                                        message: "no connector manifests (*.yaml) in this folder", hint: "point 'connectors' at the Connectors folder")])
        }
        var manifests: [String: DeclarativeManifest] = [:]
        var issues: [YAMLIssue] = []
        for file in files {
            do {
                let manifest = try DeclarativeManifest.load(file: (directory as NSString).appendingPathComponent(file))
                if manifests[manifest.name] != nil {
                    issues.append(YAMLIssue(file: (directory as NSString).appendingPathComponent(file), line: 1, column: 1, path: "name",
                                            message: "another manifest is already named '\(manifest.name)'", hint: "manifest names are unique"))
                }
                manifests[manifest.name] = manifest
            } catch let error as YAMLIssues {
                issues += error.issues
            }
        }
        if !issues.isEmpty { throw YAMLIssues(issues) }
        self.manifests = manifests
    }

    /// The connector for `source`, with its credential read from the environment.
    public func connector(for source: SourceConfig, http: any HTTPTransport, environment: [String: String], logger: Logger) throws -> any PlatformConnector {
        guard let manifest = manifests[source.connector] else {
            throw ConnectorError.permanent(source: source.name, detail: "no connector named '\(source.connector)'; known: \(manifests.keys.sorted().joined(separator: ", "))")
        }
        guard let token = environment[source.tokenEnv], !token.isEmpty else {
            throw ConnectorError.needsNewToken(source: source.name, detail: "the environment variable \(source.tokenEnv) is not set")
        }
        return DeclarativeConnector(source: source, manifest: manifest, http: http, credential: token, logger: logger)
    }

    /// The connectors of every source that has one, and why the others have none.
    public func connectors(for sources: [SourceConfig], http: any HTTPTransport, environment: [String: String],
                           logger: Logger) -> (connectors: [String: any PlatformConnector], failures: [(SourceConfig, ConnectorError)]) {
        var connectors: [String: any PlatformConnector] = [:]
        var failures: [(SourceConfig, ConnectorError)] = []
        for source in sources {
            do {
                connectors[source.name] = try connector(for: source, http: http, environment: environment, logger: logger)
            } catch let error as ConnectorError {
                failures.append((source, error))
            } catch {
                failures.append((source, .permanent(source: source.name, detail: "its connector could not be built (\(type(of: error)))")))
            }
        }
        return (connectors, failures)
    }
}

extension DeclarativeManifest {
    /// Reads and validates one manifest; every problem is reported with file:line:column.
    public static func load(file: String) throws -> DeclarativeManifest {
        let document = YAMLDocument(contentsOf: file)
        let manifest = ManifestReader.read(document)
        if !document.issues.isEmpty { throw YAMLIssues(document.issues) }
        guard let manifest else { throw YAMLIssues([YAMLIssue(file: file, line: 1, column: 1, path: "", message: "not a connector manifest")]) }
        return manifest
    }
}
