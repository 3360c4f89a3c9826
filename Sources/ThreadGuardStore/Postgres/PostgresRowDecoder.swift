import Foundation
import PostgresNIO

/// Reads a row into a `Decodable` record (the same records the SQLite store reads), column by property name. The
/// server folds unquoted column names to lower case, so names are matched without case.
struct PostgresRowDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from row: PostgresRow) throws -> T {
        var cells: [String: PostgresCell] = [:]
        for cell in row { cells[cell.columnName.lowercased()] = cell }
        return try T(from: CellsDecoder(cells: cells))
    }
}

private struct CellsDecoder: Decoder {
    let cells: [String: PostgresCell]
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(CellsContainer<Key>(cells: cells))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }
}

private struct CellsContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let cells: [String: PostgresCell]
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { cells.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { cells[key.stringValue.lowercased()] != nil }

    func cell(_ key: Key) throws -> PostgresCell {
        guard let cell = cells[key.stringValue.lowercased()] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no column \(key.stringValue)"))
        }
        return cell
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
    func superDecoder() throws -> any Decoder { CellsDecoder(cells: cells) }
    func superDecoder(forKey key: Key) throws -> any Decoder { CellsDecoder(cells: cells) }
}
