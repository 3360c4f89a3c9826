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

    /// Inserts many rows with one statement and one bound value: the rows as a JSON array read back by
    /// `json_populate_recordset` (a statement with thousands of parameters took the server longer to parse than to
    /// run; the ingest benchmark showed it). `columns` as in an INSERT (`a, b, "end"`), `then` what follows (ON
    /// CONFLICT, RETURNING). The rows a RETURNING clause gives back.
    func insertRows(_ connection: PostgresConnection, into table: String, columns: String, _ rows: [[CopyValue]], then tail: String = "") async throws -> [PostgresRow] {
        guard !rows.isEmpty else { return [] }
        // The JSON keys are the columns' names as the server stores them: unquoted names fold to lower case.
        let keys = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "").lowercased() }
        var json: [UInt8] = [0x5B]
        json.reserveCapacity(rows.count * keys.count * 24)
        for (r, row) in rows.enumerated() {
            if r > 0 { json.append(0x2C) }
            json.append(0x7B)
            for (k, value) in row.enumerated() {
                if k > 0 { json.append(0x2C) }
                JSONText.quote(keys[k], into: &json)
                json.append(0x3A)
                value.appendJSON(to: &json)
            }
            json.append(0x7D)
        }
        json.append(0x5D)
        let sql = "INSERT INTO \(table) (\(columns)) SELECT \(columns) FROM json_populate_recordset(NULL::\(table), $1::json) \(tail)"
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(String(decoding: json, as: UTF8.self))
        var returned: [PostgresRow] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) { returned.append(row) }
        return returned
    }

    /// The records a query finds.
    func fetch<T: Decodable>(_ type: T.Type, _ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> [T] {
        let rows = if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
        var records: [T] = []
        let decoder = PostgresRowDecoder()
        for try await row in rows { records.append(try decoder.decode(type, from: row)) }
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
    /// The value as JSON (times as UTC text with milliseconds, as the SQLite store keeps them).
    func appendJSON(to json: inout [UInt8]) {
        switch self {
        case .null: json.append(contentsOf: "null".utf8)
        case .int(let v): json.append(contentsOf: String(v).utf8)
        case .real(let v): json.append(contentsOf: (v.isFinite ? String(v) : "null").utf8)
        case .text(let v): JSONText.quote(v, into: &json)
        case .bool(let v): json.append(contentsOf: (v ? "true" : "false").utf8)
        case .date(let v):
            let inRange = v.timeIntervalSince1970 > -62_135_596_800 && v.timeIntervalSince1970 < 253_402_300_800
            JSONText.quote(inRange ? StoredDate.text(v) + "Z" : ISO8601DateFormatter().string(from: v), into: &json)
        }
    }

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

extension PostgresStore {
    /// A statement written with `?` for each value (as the SQLite store writes it), numbered `$1`, `$2`… and bound.
    static func numbered(_ sql: String, _ values: [CopyValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: values.count)
        var text = ""
        var next = values.makeIterator()
        for character in sql {
            guard character == "?", let value = next.next() else {
                text.append(character)
                continue
            }
            switch value {
            case .null: bindings.appendNull()
            case .int(let v): bindings.append(v)
            case .real(let v): bindings.append(v)
            case .text(let v): bindings.append(v)
            case .bool(let v): bindings.append(v)
            case .date(let v): bindings.append(v)
            }
            text += "$\(bindings.count)"
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }
}
