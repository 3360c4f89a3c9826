import Crypto
import Foundation

/// The model file: `threadguard.model`, one binary file, little-endian.
///
/// ```
/// "TGMODEL\0"                 8 bytes
/// format version              UInt32 (3: word vectors centred and shrunk for short comments)
/// header length, header       UInt32, JSON with sorted keys: labels, hashing bits, calibration, thresholds,
///                             threshold tables, span labels, rule types, provenance
/// comment weights             UInt32 count of non-zero buckets; per bucket: UInt32 bucket, labels × Float16
/// comment biases              labels × Float32
/// word-vector weights          UInt32 dimensions; dimensions × labels × Float32
/// tagger weights              UInt32 count of non-zero buckets; per bucket: UInt32 bucket, span labels × Float16
/// SHA-256 of all of the above 32 bytes
/// ```
/// Only buckets with a non-zero weight are stored, at half precision: the shipped file stays a few megabytes. The
/// same models give the same bytes.
public enum ModelFile {
    public static let magic = Data("TGMODEL\0".utf8)
    public static let formatVersion: UInt32 = 3
    public static let fileName = "threadguard.model"

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case missing(String)
        case notAModel(String)
        case wrongVersion(String, found: UInt32)
        case corrupt(String, why: String)

        public var description: String {
            switch self {
            case .missing(let path): return "no model file at \(path); train one with `threadguard model train DATA... --out DIR`"
            case .notAModel(let path): return "\(path) is not a ThreadGuard model file"
            case .wrongVersion(let path, let found):
                return "\(path) is a model file of format \(found); this threadguard reads format \(ModelFile.formatVersion). Retrain it with `threadguard model train`"
            case .corrupt(let path, let why): return "the model file \(path) is damaged (\(why)); restore it or retrain it"
            }
        }
    }

    struct Header: Codable, Equatable {
        var labels: [String]
        var commentBits: Int
        var calibration: [PlattScaling]
        var thresholds: [Double]
        var tables: [[ThresholdRow]]
        var spanLabels: [String]
        var taggerBits: Int
        var ruleTypes: [String]
        var provenance: [String: String]
        /// The SHA-256 of the word vectors the model was trained with ("" when none).
        var wordVectors: String
    }

    public static func encode(_ models: LearnedModels) throws -> Data {
        var data = magic
        append(&data, formatVersion)
        let header = Header(labels: models.comments.linear.labels, commentBits: models.comments.linear.hasher.bits,
                            calibration: models.comments.calibration, thresholds: models.comments.thresholds, tables: models.comments.tables,
                            spanLabels: SpanLabels.labels, taggerBits: models.tagger.hasher.bits, ruleTypes: models.ruleTypes,
                            provenance: models.provenance,
                            wordVectors: models.comments.linear.denseCount > 0 ? (WordVectors.shared?.checksum ?? "") : "")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        append(&data, UInt32(json.count))
        data.append(json)
        appendRows(&data, models.comments.linear.weights, width: header.labels.count)
        for value in models.comments.linear.bias { append(&data, value.bitPattern) }
        append(&data, UInt32(models.comments.linear.denseCount))
        for value in models.comments.linear.dense { append(&data, value.bitPattern) }
        appendRows(&data, models.tagger.weights, width: models.tagger.labelCount)
        data.append(Data(SHA256.hash(data: data)))
        return data
    }

    public static func decode(_ data: Data, path: String) throws -> LearnedModels {
        guard data.count >= magic.count + 4 + 32, data.prefix(magic.count) == magic else { throw Problem.notAModel(path) }
        let body = data.prefix(data.count - 32)
        guard Data(SHA256.hash(data: body)) == data.suffix(32) else { throw Problem.corrupt(path, why: "its checksum does not match") }
        var reader = Reader(data: Data(body), offset: magic.count)
        let version = try reader.u32(path)
        guard version == formatVersion else { throw Problem.wrongVersion(path, found: version) }
        let headerLength = Int(try reader.u32(path))
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: try reader.bytes(headerLength, path))
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.corrupt(path, why: "its header cannot be read")
        }
        guard header.spanLabels == SpanLabels.labels, (8...24).contains(header.commentBits), (8...24).contains(header.taggerBits),
              header.calibration.count == header.labels.count, header.thresholds.count == header.labels.count,
              header.labels == CommentModel.labels else {
            throw Problem.corrupt(path, why: "its labels or sizes are not this version's")
        }
        let commentHasher = FeatureHasher(bits: header.commentBits), taggerHasher = FeatureHasher(bits: header.taggerBits)
        let weights = try reader.rows(width: header.labels.count, buckets: commentHasher.buckets, path)
        var bias: [Float] = []
        for _ in header.labels { bias.append(Float(bitPattern: try reader.u32(path))) }
        let denseCount = Int(try reader.u32(path))
        guard denseCount <= 1024 else { throw Problem.corrupt(path, why: "it names too many word-vector dimensions") }
        var dense: [Float] = []
        for _ in 0..<(denseCount * header.labels.count) { dense.append(Float(bitPattern: try reader.u32(path))) }
        if denseCount > 0, header.wordVectors != (WordVectors.shared?.checksum ?? "") {
            throw Problem.corrupt(path, why: "it was trained with other word vectors than this threadguard's; retrain it")
        }
        let taggerWeights = try reader.rows(width: SpanLabels.labels.count, buckets: taggerHasher.buckets, path)
        guard reader.offset == reader.data.count else { throw Problem.corrupt(path, why: "it has bytes past its last section") }
        let linear = LinearModel(labels: header.labels, hasher: commentHasher, weights: weights, bias: bias, denseCount: denseCount, dense: dense)
        return LearnedModels(
            comments: CommentModel(linear: linear, calibration: header.calibration, thresholds: header.thresholds, tables: header.tables),
            tagger: SequenceTagger(hasher: taggerHasher, weights: taggerWeights), ruleTypes: header.ruleTypes, provenance: header.provenance)
    }

    public static func write(_ models: LearnedModels, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent(fileName)
        try encode(models).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public static func read(folder: String) throws -> LearnedModels {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem.missing(path) }
        return try decode(data, path: path)
    }

    // MARK: Bytes

    static func append(_ data: inout Data, _ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    static func appendRows(_ data: inout Data, _ weights: [Float], width: Int) {
        let rows = weights.count / width
        var nonZero: [Int] = []
        for row in 0..<rows where (0..<width).contains(where: { Float16(weights[row * width + $0]) != 0 }) { nonZero.append(row) }
        append(&data, UInt32(nonZero.count))
        for row in nonZero {
            append(&data, UInt32(row))
            for k in 0..<width {
                withUnsafeBytes(of: Float16(weights[row * width + k]).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
    }

    struct Reader {
        let data: Data
        var offset: Int

        mutating func bytes(_ count: Int, _ path: String) throws -> Data {
            guard count >= 0, offset + count <= data.count else { throw Problem.corrupt(path, why: "it ends too early") }
            defer { offset += count }
            return data.subdata(in: offset..<(offset + count))
        }

        /// A little-endian integer read in place (no copy of its bytes: a model holds millions of them).
        mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ path: String) throws -> T {
            let size = MemoryLayout<T>.size
            guard offset + size <= data.count else { throw Problem.corrupt(path, why: "it ends too early") }
            defer { offset += size }
            return data.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }

        mutating func u32(_ path: String) throws -> UInt32 { try integer(UInt32.self, path) }
        mutating func u16(_ path: String) throws -> UInt16 { try integer(UInt16.self, path) }

        mutating func rows(width: Int, buckets: Int, _ path: String) throws -> [Float] {
            var weights = [Float](repeating: 0, count: buckets * width)
            let count = Int(try u32(path))
            guard count <= buckets else { throw Problem.corrupt(path, why: "it names more rows than it has room for") }
            var previous = -1
            for _ in 0..<count {
                let row = Int(try u32(path))
                guard row < buckets, row > previous else { throw Problem.corrupt(path, why: "its rows are out of order") }
                previous = row
                for k in 0..<width { weights[row * width + k] = Float(Float16(bitPattern: try u16(path))) }
            }
            return weights
        }
    }
}
