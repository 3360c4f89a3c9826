import Foundation
import ThreadGuardPolicy
import ThreadGuardYAML

/// Keeps a copy of the last policy set that loaded cleanly beside the database, so that a broken edit never
/// replaces a working set: `poll` goes on with the copy and says why.
public struct LastGoodPolicies {
    public let snapshotFolder: String

    public init(databasePath: String) {
        snapshotFolder = ((databasePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("policies-last-good")
    }

    public struct Loaded {
        public var policies: PolicySet
        /// Set when the configured folder was broken and the last good copy is in use.
        public var warning: String?
    }

    /// Loads `directory`; on success refreshes the snapshot, on failure falls back to it (or rethrows when there is none).
    public func load(directory: String) throws -> Loaded {
        do {
            let policies = try PolicyLoader.load(directory: directory)
            try? snapshot(directory)
            return Loaded(policies: policies, warning: nil)
        } catch let error as YAMLIssues {
            guard FileManager.default.fileExists(atPath: snapshotFolder),
                  let fallback = try? PolicyLoader.load(directory: snapshotFolder) else { throw error }
            let first = error.issues.first.map(\.description) ?? ""
            return Loaded(policies: fallback, warning: "the policies in \(directory) are invalid (\(error.issues.count) problem(s), first: \(first)); kept the last good set. Run 'threadguard policy check' to see them all.")
        }
    }

    func snapshot(_ directory: String) throws {
        let fm = FileManager.default
        let staging = snapshotFolder + ".new"
        try? fm.removeItem(atPath: staging)
        try fm.copyItem(atPath: directory, toPath: staging)
        try? fm.removeItem(atPath: snapshotFolder)
        try fm.moveItem(atPath: staging, toPath: snapshotFolder)
    }
}
