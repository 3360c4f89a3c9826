import Foundation
import PostgresNIO

/// Reads rows into `Decodable` records (the same records the SQLite store reads), column by property name. The
/// server folds unquoted column names to lower case, so names are matched without case; where each property's
/// column is is worked out once per query, not once per row (the decider reads every stored item through here).
final class PostgresRowDecoder {
    private var columns: [String: Int] = [:]
    /// Property name as written → column position (nil: no such column).
    private var positions: [String: Int?] = [:]

    func decode<T: Decodable>(_ type: T.Type, from row: PostgresRow) throws -> T {
        if columns.isEmpty {
            for (index, cell) in row.enumerated() { columns[cell.columnName.lowercased()] = index }
        }
        return try T(from: CellsDecoder(row: row.makeRandomAccess(), decoder: self))
    }

    func position(_ name: String) -> Int? {
        if let known = positions[name] { return known }
        let found = columns[name.lowercased()]
        positions[name] = found
        return found
    }

    static func decode<T: Decodable>(_ type: T.Type, from row: PostgresRow) throws -> T {
        try PostgresRowDecoder().decode(type, from: row)
    }
}

private struct CellsDecoder: Decoder {
    let row: PostgresRandomAccessRow
    let decoder: PostgresRowDecoder
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(CellsContainer<Key>(row: row, decoder: decoder))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }
}

private struct CellsContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: PostgresRandomAccessRow
    let decoder: PostgresRowDecoder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { decoder.position(key.stringValue) != nil }

    func cell(_ key: Key) throws -> PostgresCell {
        guard let position = decoder.position(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no column \(key.stringValue)"))
        }
        return row[position]
    }

    func decodeNil(forKey key: Key) throws -> Bool { try cell(key).bytes == nil }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let cell = try cell(key)
        switch type {
        case is String.Type: return try cell.decode(String.self) as! T
        case is Int64.Type: return try cell.decode(Int64.self) as! T
        case is Int.Type: return try cell.decode(Int.self) as! T
        case is Int32.Type: return try cell.decode(Int32.self) as! T
        case is Double.Type: return try cell.decode(Double.self) as! T
        case is Bool.Type: return try cell.decode(Bool.self) as! T
        case is Date.Type: return try cell.decode(Date.self) as! T
        default:
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "column \(key.stringValue) has no reader for \(type)"))
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "a column holds one value"))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "a column holds one value"))
    }
    func superDecoder() throws -> any Decoder { CellsDecoder(row: row, decoder: decoder) }
    func superDecoder(forKey key: Key) throws -> any Decoder { CellsDecoder(row: row, decoder: decoder) }
}
