import Foundation
import GRDB
import ThreadGuardCore

extension ThreadGuardDatabase {
    /// Up to `limit` rows of `table` after SQLite row `after`, in row order, each value read as its column's kind
    /// (`threadguard migrate` copies with it). The rowid of the last row is returned to ask for the next batch.
    public func exportRows(_ table: StoreTables.Table, after: Int64, limit: Int) throws -> (rows: [[CopyValue]], last: Int64?) {
        try pool.read { db in
            let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: "SELECT rowid AS tg_rowid, \(columns) FROM \"\(table.name)\" WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                        arguments: [after, limit])
            // Plain loops: the release compiler (6.3.1) crashed on the nested closures this was written with.
            var values: [[CopyValue]] = []
            values.reserveCapacity(rows.count)
            for row in rows {
                var line: [CopyValue] = []
                for (index, column) in table.columns.enumerated() {
                    line.append(Self.copyValue(row[index + 1], as: column.kind))
                }
                values.append(line)
            }
            return (values, rows.last.map { $0["tg_rowid"] })
        }
    }

    static func copyValue(_ value: DatabaseValue, as kind: StoreTables.Kind) -> CopyValue {
        if value.isNull { return .null }
        switch kind {
        case .int: return Int64.fromDatabaseValue(value).map(CopyValue.int) ?? .null
        case .real: return Double.fromDatabaseValue(value).map(CopyValue.real) ?? .null
        case .text: return String.fromDatabaseValue(value).map(CopyValue.text) ?? .null
        case .bool: return Bool.fromDatabaseValue(value).map(CopyValue.bool) ?? .null
        case .date: return Date.fromDatabaseValue(value).map(CopyValue.date) ?? .null
        }
    }

    /// Rows in `table` (for `migrate`'s comparison).
    public func rowCount(_ table: StoreTables.Table) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table.name)\"") ?? 0 }
    }
}

extension CopyValue {
    /// The value as the SQLite store binds it.
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .int(let v): return v.databaseValue
        case .real(let v): return v.databaseValue
        case .text(let v): return v.databaseValue
        case .bool(let v): return v.databaseValue
        case .date(let v): return StoredDate.value(v)
        }
    }
}
