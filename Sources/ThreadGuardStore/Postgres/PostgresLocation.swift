import Foundation

/// Where the PostgreSQL store is: `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`. The
/// password is never part of the address: it comes from the environment variable the configuration names.
public struct PostgresLocation: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var database: String
    public var password: String?
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, username: String, database: String, password: String? = nil, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.database = database
        self.password = password
        self.tls = tls
    }

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Whether a `database:` value names PostgreSQL rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public static func parse(_ text: String, passwordEnv: String?, environment: [String: String]) throws -> PostgresLocation {
        guard isPostgres(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw Problem(description: "'\(Self.redacted(text))' is not a postgres://USER@HOST[:PORT]/DATABASE address")
        }
        if url.password != nil {
            throw Problem(description: "the address carries a password; remove it and name the variable that holds it with database_password_env")
        }
        guard let user = url.user, !user.isEmpty else { throw Problem(description: "the address names no user (postgres://USER@HOST/DATABASE)") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw Problem(description: "the address names no database (postgres://USER@HOST/DATABASE)") }
        var tls = TLSMode.prefer
        for item in url.queryItems ?? [] {
            guard item.name == "sslmode" else { throw Problem(description: "unknown option '\(item.name)' in the address; only sslmode is read") }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw Problem(description: "sslmode takes \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            tls = mode
        }
        var password: String?
        if let passwordEnv {
            guard let value = environment[passwordEnv] else { throw Problem(description: "the environment variable \(passwordEnv) (database_password_env) is not set") }
            password = value
        }
        return PostgresLocation(host: host, port: url.port ?? 5432, username: user, database: database, password: password, tls: tls)
    }

    /// The address without anything after the user's name and host that could be secret (for messages).
    public static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text) else { return "(unreadable address)" }
        if url.password != nil { url.password = "…" }
        return url.string ?? "(unreadable address)"
    }
}
