import Foundation
import PostgresNIO
import ThreadGuardCore

extension PostgresStore {
    /// One transaction; an error thrown by `body` comes out as itself (PostgresNIO wraps it), so a `ReviewError` stays
    /// one and reaches the person as what it says.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// Inserts many rows with one statement per few hundred rows (far below the 65,535 parameters a statement may
    /// carry): `head` is `INSERT INTO t (a, b) VALUES`, `then` what follows the values (ON CONFLICT, RETURNING).
    /// The rows a RETURNING clause gives back, in the server's order.
    func insertRows(_ connection: PostgresConnection, _ head: String, _ rows: [[CopyValue]], then tail: String = "") async throws -> [PostgresRow] {
        guard let width = rows.first?.count, width > 0 else { return [] }
        let perStatement = max(1, 30_000 / width)
        var returned: [PostgresRow] = []
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var bindings = PostgresBindings(capacity: chunk.count * width)
            var tuples: [String] = []
            tuples.reserveCapacity(chunk.count)
            for row in chunk {
                var placeholders: [String] = []
                for value in row {
                    switch value {
                    case .null: bindings.appendNull()
                    case .int(let v): bindings.append(v)
                    case .real(let v): bindings.append(v)
                    case .text(let v): bindings.append(v)
                    case .bool(let v): bindings.append(v)
                    case .date(let v): bindings.append(v)
                    }
                    placeholders.append("$\(bindings.count)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            let sql = head + " " + tuples.joined(separator: ", ") + " " + tail
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) { returned.append(row) }
            start += chunk.count
        }
        return returned
    }

    /// The records a query finds.
    func fetch<T: Decodable>(_ type: T.Type, _ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> [T] {
        let rows = if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
        var records: [T] = []
        for try await row in rows { records.append(try PostgresRowDecoder.decode(type, from: row)) }
        return records
    }

    /// The rows a query finds, each readable by column name (lower case).
    func rows(_ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> [PostgresRandomAccessRow] {
        let rows = if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
        var found: [PostgresRandomAccessRow] = []
        for try await row in rows { found.append(row.makeRandomAccess()) }
        return found
    }

    /// Runs a statement and drains what it returns.
    func execute(_ query: PostgresQuery, on connection: PostgresConnection) async throws {
        for try await _ in try await connection.query(query, logger: logger) {}
    }
}

extension CopyValue {
    static func of(_ value: String?) -> CopyValue { value.map(CopyValue.text) ?? .null }
    static func of(_ value: Int64?) -> CopyValue { value.map(CopyValue.int) ?? .null }
    static func of(_ value: Date?) -> CopyValue { value.map(CopyValue.date) ?? .null }
}

extension PostgresRandomAccessRow {
    /// The value of `column` (lower case), nil when NULL.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        let cell = self[column]
        return cell.bytes == nil ? nil : try cell.decode(T.self)
    }
}
