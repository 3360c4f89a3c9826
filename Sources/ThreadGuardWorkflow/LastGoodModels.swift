import Foundation
import ThreadGuardLearn

/// Which learned detectors a configuration asks for.
public enum ModelSetting: Sendable, Equatable {
    /// The rules alone.
    case none
    /// This folder's `threadguard.model`; missing, corrupt or of another version is an error.
    case required(String)
    /// This folder's model when it has one (the `Models` folder beside the configuration), else the rules alone.
    case ifPresent(String)
}

/// Keeps a copy of the last model file that loaded cleanly beside the database, as `LastGoodPolicies` does for the
/// policies: a model file broken by a bad copy or a half-finished `model train` never stops `poll`; it goes on with
/// the copy and says why.
public struct LastGoodModels {
    public let snapshot: String

    public init(databasePath: String) {
        let folder = ((databasePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("models-last-good")
        snapshot = (folder as NSString).appendingPathComponent(ModelFile.fileName)
    }

    public struct Loaded {
        public var models: LearnedModels?
        /// Set when the configured model was unusable and the last good copy is in use.
        public var warning: String?
    }

    /// Loads the configured model; on success refreshes the snapshot, on failure falls back to it (or rethrows the
    /// model file's problem when there is none).
    public func load(_ setting: ModelSetting) throws -> Loaded {
        let folder: String
        switch setting {
        case .none: return Loaded(models: nil, warning: nil)
        case .ifPresent(let path):
            guard FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(ModelFile.fileName)) else {
                return Loaded(models: nil, warning: nil)
            }
            folder = path
        case .required(let path): folder = path
        }
        do {
            let models = try ModelFile.read(folder: folder)
            try? refresh(from: (folder as NSString).appendingPathComponent(ModelFile.fileName))
            return Loaded(models: models, warning: nil)
        } catch let problem as ModelFile.Problem {
            guard FileManager.default.fileExists(atPath: snapshot),
                  let fallback = try? ModelFile.read(folder: (snapshot as NSString).deletingLastPathComponent) else { throw problem }
            return Loaded(models: fallback, warning: "\(problem); kept the last good model")
        }
    }

    /// Copies the model beside the database unless the copy there is already the same file (same SHA-256 trailer).
    func refresh(from file: String) throws {
        let fm = FileManager.default
        if let current = FileHandle(forReadingAtPath: snapshot), let source = FileHandle(forReadingAtPath: file) {
            defer { try? current.close(); try? source.close() }
            if let a = try? current.seekToEnd(), let b = try? source.seekToEnd(), a == b, a >= 32 {
                try current.seek(toOffset: a - 32)
                try source.seek(toOffset: b - 32)
                if current.readData(ofLength: 32) == source.readData(ofLength: 32) { return }
            }
        }
        let folder = (snapshot as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let staging = snapshot + ".new"
        try? fm.removeItem(atPath: staging)
        try fm.copyItem(atPath: file, toPath: staging)
        // rename(2) replaces the old copy in one step: a reader sees the old file or the new one, never half of one.
        guard rename(staging, snapshot) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

extension AppConfig {
    /// The last good copies live beside the SQLite database; with PostgreSQL, which has no folder here, beside the
    /// configuration file (a path whose folder is that folder).
    var lastGoodBase: String { usesPostgres ? (folder as NSString).appendingPathComponent("threadguard.yaml") : database }

    /// The judge this configuration asks for: its policies and its learned models, each the last good copy when the
    /// configured one is broken (the warnings say so).
    public func makeJudge() throws -> (judge: Judge, warnings: [String]) {
        let policies = try LastGoodPolicies(databasePath: lastGoodBase).load(directory: self.policies)
        let learned = try LastGoodModels(databasePath: lastGoodBase).load(models)
        return (Judge(policies: policies.policies, models: learned.models), [policies.warning, learned.warning].compactMap { $0 })
    }
}
