import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardStore
import ThreadGuardYAML

/// `threadguard.yaml`: where the database, policies and connectors are, and which sources to poll.
/// Tokens are never written here: each source names the environment variable that holds its token.
public struct AppConfig: Sendable, Equatable {
    public var database: String
    public var policies: String
    public var connectors: String
    public var sources: [SourceConfig]
    /// Where the audit key and the audit log's checkpoints live (`audit_key_file`, `audit_checkpoints`).
    public var audit: AuditSettings
    /// The learned detectors' folder (`models`), or the rules alone (`models: none`).
    public var models: ModelSetting
    /// Who is told when a person is needed (`alerts`).
    public var alerts: AlertSettings
    /// How long a source may fail in passing (network, 5xx, rate limits) before a person is needed (`failure_window`).
    public var failureWindow: TimeInterval
    /// Push delivery (`webhooks`).
    public var webhooks = WebhookSettings()
    /// The environment variable holding the PostgreSQL password (`database_password_env`), never the password itself.
    public var databasePasswordEnv: String?
    /// How long a poller holds a source on a shared store without renewing its lease (`source_lease`, default 2m): a
    /// poller that died lets go of its sources this long after its last page.
    public var sourceLease: TimeInterval = TimeInterval(LeasedPolling.defaultSeconds)
    /// How long a command waits for the PostgreSQL server's first answer before it gives up (`database_timeout`).
    public var databaseTimeout: TimeInterval = PostgresStore.defaultTimeout
    /// Response targets and how the review page moves on (`review`).
    public var review = ReviewSettings()
    /// The configuration file's folder (relative paths in it are taken from there).
    public var folder = "."
    public static let defaultFailureWindow: TimeInterval = 30 * 60

    public init(database: String, policies: String, connectors: String, sources: [SourceConfig], audit: AuditSettings = AuditSettings(),
                models: ModelSetting = .none, alerts: AlertSettings = AlertSettings(), failureWindow: TimeInterval = AppConfig.defaultFailureWindow) {
        self.database = database
        self.policies = policies
        self.connectors = connectors
        self.sources = sources
        self.audit = audit
        self.models = models
        self.alerts = alerts
        self.failureWindow = failureWindow
    }

    /// Whether `database:` names a PostgreSQL server rather than a SQLite file.
    public var usesPostgres: Bool { PostgresLocation.isPostgres(database) }

    /// The configured store, SQLite or PostgreSQL, with its audit key and checkpoints.
    public func openStore(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any Store {
        guard usesPostgres else { return try ThreadGuardDatabase(path: database, audit: audit, environment: environment) }
        let location: PostgresLocation
        do {
            location = try PostgresLocation.parse(database, passwordEnv: databasePasswordEnv, environment: environment)
        } catch let problem as PostgresLocation.Problem {
            throw StoreError.cannotConnect(address: PostgresLocation.redacted(database), reason: problem.description)
        }
        do {
            return try PostgresStore.connect(location, audit: audit, environment: environment,
                                             logger: Logger(label: "threadguard.postgres", factory: { _ in SwiftLogNoOpLogHandler() }),
                                             timeout: databaseTimeout)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotConnect(address: PostgresLocation.redacted(database), reason: PostgresStore.reason(error))
        }
    }

    /// The configured SQLite database, for the commands that work on its file (backup, restore, purge, migrate).
    public func openDatabase() throws -> ThreadGuardDatabase {
        try requireSQLite()
        return try ThreadGuardDatabase(path: database, audit: audit)
    }

    /// Refuses a PostgreSQL configuration for a command that works on the SQLite file itself.
    public func requireSQLite() throws {
        guard !usesPostgres else {
            throw StoreError.cannotConnect(address: PostgresLocation.redacted(database), reason: "this command works on a SQLite database file; on PostgreSQL use the server's own tools (pg_dump, pg_restore) and `threadguard status`")
        }
    }

    /// Sources whose platform has no private messages (YouTube): "take this private" becomes a public pointer there.
    public func publicOnlySources(_ registry: ConnectorRegistry?) -> Set<String> {
        Set(sources.filter { registry?.manifests[$0.connector]?.actions[.privateReply] == nil }.map(\.name))
    }

    static let topKeys = ["database", "policies", "connectors", "sources", "audit_key_file", "audit_checkpoints", "models", "alerts", "failure_window", "webhooks",
                          "database_password_env", "source_lease", "database_timeout", "review"]
    static let sourceKeys = ["name", "connector", "account", "base_url", "token_env"]

    /// Reads the file; relative paths in it are taken from the file's folder. All problems are reported
    /// together, each with file, line, column and key.
    public static func load(file: String) throws -> AppConfig {
        guard FileManager.default.fileExists(atPath: file) else {
            throw YAMLIssues([YAMLIssue(file: file, line: 1, column: 1, path: "", message: "no such configuration file",
                                        hint: "create it (see README.md, Configuration) or pass --config PATH")])
        }
        let document = YAMLDocument(contentsOf: file)
        let folder = (file as NSString).deletingLastPathComponent
        let config = read(document, folder: folder.isEmpty ? "." : folder)
        if !document.issues.isEmpty { throw YAMLIssues(document.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        return config!
    }

    static func read(_ document: YAMLDocument, folder: String) -> AppConfig? {
        guard let map = document.root?.mapping(allowing: topKeys, required: ["database", "sources"]) else { return nil }
        func path(_ key: String, _ fallback: String) -> String {
            let value = map[key]?.string ?? fallback
            return value.hasPrefix("/") ? value : (folder as NSString).appendingPathComponent(value)
        }
        var sources: [SourceConfig] = []
        var names: Set<String> = []
        // Connector names are checked now, not at the first poll: the manifests' names, when the folder loads.
        let known = (try? ConnectorRegistry(directory: path("connectors", "Connectors"))).map { Array($0.manifests.keys).sorted() }
        for node in map["sources"]?.sequence ?? [] {
            guard let source = readSource(node, knownConnectors: known) else { continue }
            if !names.insert(source.name).inserted { node.issue("a second source is named '\(source.name)'", hint: "source names must be unique") }
            sources.append(source)
        }
        func optionalPath(_ key: String) -> String? { map[key]?.string.map { _ in path(key, "") } }
        // `models: none` judges with the rules alone; a named folder must hold a model; without the key, the
        // `Models` folder beside the file is used when it holds one.
        let models: ModelSetting
        switch map["models"]?.string {
        case "none"?: models = .none
        case .some: models = .required(path("models", "Models"))
        case nil: models = .ifPresent(path("models", "Models"))
        }
        let databasePath: String
        if let address = map["database"]?.string, PostgresLocation.isPostgres(address) {
            databasePath = address
            do {
                _ = try PostgresLocation.parse(address, passwordEnv: nil, environment: [:])
            } catch let problem as PostgresLocation.Problem {
                map["database"]?.issue(problem.description, hint: "postgres://USER@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require], the password in the variable database_password_env names")
            } catch {}
        } else {
            databasePath = path("database", "threadguard.sqlite")
            let databaseFolder = (databasePath as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            if let node = map["database"], !(FileManager.default.fileExists(atPath: databaseFolder, isDirectory: &isFolder) && isFolder.boolValue) {
                node.issue("the database's folder \(databaseFolder) does not exist", hint: "create it, readable by ThreadGuard's user only: install -d -m 0700 \(databaseFolder)")
            }
        }
        let passwordEnv = map["database_password_env"]?.string
        if let passwordEnv, let node = map["database_password_env"], passwordEnv.isEmpty || !passwordEnv.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) {
            node.issue("'\(passwordEnv)' is not an environment variable name", hint: "use capitals, digits and _, e.g. THREADGUARD_DATABASE_PASSWORD")
        }
        var failureWindow = defaultFailureWindow
        if let node = map["failure_window"] {
            if let text = node.string, let seconds = DurationText.seconds(text) { failureWindow = seconds } else {
                node.issue("'\(node.string ?? node.kindName)' is not a duration", hint: "a number and a unit: \(DurationText.example)")
            }
        }
        var config = AppConfig(database: databasePath, policies: path("policies", "Policies"),
                         connectors: path("connectors", "Connectors"), sources: sources,
                         audit: AuditSettings(keyFile: optionalPath("audit_key_file"), checkpointFile: optionalPath("audit_checkpoints")),
                         models: models, alerts: map["alerts"].flatMap(AlertSettings.read) ?? AlertSettings(), failureWindow: failureWindow)
        config.webhooks = map["webhooks"].flatMap(WebhookSettings.read) ?? WebhookSettings()
        config.review = map["review"].flatMap(ReviewSettings.read) ?? ReviewSettings()
        config.databasePasswordEnv = passwordEnv
        config.folder = folder
        if let node = map["database_timeout"] {
            if let text = node.string, let seconds = DurationText.seconds(text), seconds >= 1 { config.databaseTimeout = seconds } else {
                node.issue("'\(node.string ?? node.kindName)' is not a duration of a second or more", hint: "a number and a unit: \(DurationText.example)")
            }
        }
        if let node = map["source_lease"] {
            if let text = node.string, let seconds = DurationText.seconds(text), seconds >= 1 { config.sourceLease = seconds } else {
                node.issue("'\(node.string ?? node.kindName)' is not a duration of a second or more", hint: "a number and a unit: \(DurationText.example)")
            }
        }
        return config
    }

    static func readSource(_ node: YAMLNode, knownConnectors: [String]? = nil) -> SourceConfig? {
        if case .mapping(let mapping) = node.node,
           let tokenKey = mapping.first(where: { ["token", "access_token", "secret"].contains($0.key.string ?? "") })?.key {
            node.document.report(YAMLIssue(
                file: node.document.file, line: tokenKey.mark?.line ?? node.line, column: tokenKey.mark?.column ?? node.column,
                path: "\(node.path).\(tokenKey.string ?? "")", message: "tokens are never written in the configuration",
                hint: "put the token in an environment variable and name it with 'token_env'"))
        }
        guard let map = node.mapping(allowing: sourceKeys + ["token", "access_token", "secret"],
                                     required: ["name", "connector", "account", "token_env"]) else { return nil }
        let tokenEnv = map["token_env"]?.string
        if let tokenEnv, let tokenNode = map["token_env"], !tokenEnv.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) || tokenEnv.isEmpty {
            tokenNode.issue("'\(tokenEnv)' is not an environment variable name", hint: "use capitals, digits and _, e.g. THREADGUARD_FACEBOOK_TOKEN")
        }
        if let known = knownConnectors, let connector = map["connector"]?.string, !known.contains(connector), let connectorNode = map["connector"] {
            let suggestion = Spelling.closest(to: connector, among: known).map { "did you mean '\($0)'? " } ?? ""
            connectorNode.issue("'\(connector)' is not a connector in the connectors folder", hint: "\(suggestion)known: \(known.joined(separator: ", "))")
        }
        if let url = map["base_url"]?.string, URLComponents(string: url)?.host == nil, let urlNode = map["base_url"] {
            urlNode.issue("'\(url)' is not an http(s) URL with a host")
        }
        guard let name = map["name"]?.string, let connector = map["connector"]?.string, let account = map["account"]?.string,
              let tokenEnv else { return nil }
        return SourceConfig(name: name, connector: connector, account: account, baseURL: map["base_url"]?.string, tokenEnv: tokenEnv)
    }
}
