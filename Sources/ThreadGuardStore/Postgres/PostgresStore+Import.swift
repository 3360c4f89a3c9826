import Foundation
import PostgresNIO
import ThreadGuardCore

extension PostgresStore {
    /// Inserts rows of `table` (values in `table.columns` order), skipping those whose key is already there, in one
    /// transaction. Copying the same rows again inserts nothing.
    public func importRows(_ table: StoreTables.Table, _ rows: [[CopyValue]]) async throws {
        guard !rows.isEmpty else { return }
        let columns = table.columns.map { Self.identifier($0.name) }.joined(separator: ", ")
        let conflict = table.key.map(Self.identifier).joined(separator: ", ")
        try await transaction { connection in
            _ = try await insertRows(connection, into: Self.identifier(table.name), columns: columns,
                                     rows, then: "ON CONFLICT (\(conflict)) DO NOTHING")
            if let identity = table.identity {
                try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table.name)', '\(identity.lowercased())'), GREATEST((SELECT max(\(identity)) FROM \(Self.identifier(table.name))), 1))
                    """), logger: logger)
            }
        }
    }

    public func rowCount(_ table: StoreTables.Table) async throws -> Int {
        for try await count in try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(Self.identifier(table.name))"), logger: logger)
            .decode(Int64.self) { return Int(count) }
        return 0
    }

    /// Every row of `table` in key order, values as `table.columns` kinds (for comparing a copy with its source).
    public func rows(_ table: StoreTables.Table, after key: Int64, limit: Int) async throws -> [[CopyValue]] {
        let columns = table.columns.map { Self.identifier($0.name) }.joined(separator: ", ")
        let order = table.key.map(Self.identifier).joined(separator: ", ")
        let sql = "SELECT \(columns) FROM \(Self.identifier(table.name)) WHERE \(Self.identifier(table.key[0])) > \(key) ORDER BY \(order) LIMIT \(limit)"
        var result: [[CopyValue]] = []
        for try await row in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            let cells = row.makeRandomAccess()
            result.append(try table.columns.enumerated().map { index, column -> CopyValue in
                let cell = cells[index]
                if cell.bytes == nil { return .null }
                switch column.kind {
                case .int: return .int(try cell.decode(Int64.self))
                case .real: return .real(try cell.decode(Double.self))
                case .text: return .text(try cell.decode(String.self))
                case .bool: return .bool(try cell.decode(Bool.self))
                case .date: return .date(try cell.decode(Date.self))
                }
            })
        }
        return result
    }

    /// A column or table name as PostgreSQL reads it: unquoted names fold to lower case; `end` and `user` are quoted.
    static func identifier(_ name: String) -> String {
        ["end", "user"].contains(name) ? "\"\(name)\"" : name
    }
}
