import KoHybrid

/// The outcome of `ChromaMigration.run`.
public struct ChromaMigrationReport: Sendable, Equatable {
    public var source: String
    public var format: ChromaSourceFormat
    public var target: String
    public var dryRun: Bool
    public var collections: [ChromaCollectionReport]
    public var seconds: Double
    /// What the source's integrity check found (only with `allowPartial`; otherwise such a
    /// source stops the run).
    public var sourceProblems: [String] = []

    public init(source: String, format: ChromaSourceFormat, target: String, dryRun: Bool,
                collections: [ChromaCollectionReport], seconds: Double, sourceProblems: [String] = []) {
        self.source = source; self.format = format; self.target = target; self.dryRun = dryRun
        self.collections = collections; self.seconds = seconds; self.sourceProblems = sourceProblems
    }

    /// Every source record that is not in the target, across collections.
    public var notMigrated: [ChromaSkippedRecord] { collections.flatMap(\.notMigrated) }

    /// True when every source record was migrated, the source passed its integrity check, and
    /// verification (if run) found no difference.
    public var isComplete: Bool {
        sourceProblems.isEmpty && notMigrated.isEmpty && collections.allSatisfy { $0.differences?.isEmpty ?? true }
    }
}
