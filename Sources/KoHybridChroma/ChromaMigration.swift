import Foundation
import KoHybrid
import KoHybridDense

/// Moves Chroma collections into a KoHybrid store: every selected collection with its metadata,
/// distance space (as the index really used it), dimension and HNSW settings, and every live
/// record with its id, document, typed metadata and exact float32 embedding. The BM25 index is
/// built from the documents by the store.
///
/// ```swift
/// let source = try ChromaSource.open(URL(fileURLWithPath: "./chroma-persist"))
/// let report = try await ChromaMigration(source: source, target: URL(fileURLWithPath: "./store"),
///                                        options: .init(verify: true)).run()
/// for c in report.collections { print(c.name, c.read, c.imported, c.skipped.count) }
/// ```
///
/// **Atomicity.** An interrupted run leaves the target as it was:
/// - *New target* (no store there yet): everything is built in a hidden sibling directory
///   (`.<name>.migrating-<uuid>`) and published with one `rename(2)` at the end, so the target
///   appears complete or not at all. Staging directories of killed runs are removed by the next
///   run (those whose writer lock is still held belong to a live run and are kept).
/// - *Existing store*: each collection's records are written by one `Store.upsert`, a single
///   SQLite transaction, so a collection is either fully migrated or untouched. Collections this
///   run created are deleted again if the run fails. (Only a hard kill in the instant between
///   creating a new collection and committing its records leaves that collection empty; the next
///   run fills it.)
///
/// **No silent loss.** The source passes SQLite's integrity check first (`.damagedSource`
/// otherwise), and a collection with records that cannot be carried over (no vector anywhere,
/// a missing segment folder, export lines without an embedding) is not written (`.incomplete`,
/// naming them). With `Options.allowPartial` both are accepted and reported instead:
/// `ChromaMigrationReport.sourceProblems` and `notMigrated` list what was left behind.
///
/// **Idempotence.** Records are upserted by id, so re-running replaces them with identical
/// values; records the target has that the source lacks are left alone.
public struct ChromaMigration: Sendable {
    public struct Options: Sendable {
        /// Only these collections (all when nil).
        public var collections: [String]?
        /// Read and report, write nothing.
        public var dryRun: Bool
        /// After importing, read every record back and compare it with the source.
        public var verify: Bool
        /// Migrate what can be read even when some records cannot be (no vector, a damaged
        /// source); the report lists them in `notMigrated`. Without it such a collection is not
        /// written and the run fails with `.incomplete`, and a damaged source with `.damagedSource`.
        public var allowPartial: Bool

        public init(collections: [String]? = nil, dryRun: Bool = false, verify: Bool = false, allowPartial: Bool = false) {
            self.collections = collections
            self.dryRun = dryRun
            self.verify = verify
            self.allowPartial = allowPartial
        }
    }

    public let source: ChromaSource
    public let target: URL
    public let options: Options

    public init(source: ChromaSource, target: URL, options: Options = Options()) {
        self.source = source
        self.target = target.standardizedFileURL
        self.options = options
    }

    /// Runs the migration; `progress` sees each phase (for a terminal display).
    public func run(progress: (@Sendable (ChromaMigrationProgress) -> Void)? = nil) async throws(ChromaMigrationError) -> ChromaMigrationReport {
        let started = Date()
        let names = try selectedCollections()
        // The source as a whole first: a corrupt page hides rows from queries without an error.
        let sourceProblems: [String]
        do { sourceProblems = try source.integrityProblems() } catch { throw .source(error) }
        if !sourceProblems.isEmpty, !options.allowPartial, !options.dryRun {
            throw .damagedSource(path: source.url.appendingPathComponent("chroma.sqlite3").path, problems: sourceProblems)
        }
        var reports: [ChromaCollectionReport] = []
        if options.dryRun {
            // Collections already in the target, to report the conflicts a real run would hit.
            var existing: [String: CollectionConfiguration] = [:]
            if Self.storeExists(at: target) {
                do {
                    let store = try Store(directory: target, mode: .readOnly)
                    for info in try await store.collections() { existing[info.name] = info.configuration }
                    try await store.close()
                } catch { throw .target(error) }
            }
            for name in names {
                progress?(.reading(collection: name))
                let collection = try read(name)
                var report = Self.report(for: collection, created: false)
                if report.status != .skipped { report.status = .dryRun }
                if let have = existing[name], let dimension = report.dimension,
                   let conflict = Self.conflict(have, Self.configuration(for: collection, dimension: dimension)) {
                    report.status = .skipped
                    report.reason = "exists in the target with \(conflict); a real run would stop here"
                }
                reports.append(report)
            }
        } else if Self.storeExists(at: target) {
            await removeAbandonedStagings()
            reports = try await importIntoExisting(names, progress: progress)
        } else {
            await removeAbandonedStagings()
            reports = try await importIntoNew(names, progress: progress)
        }
        return ChromaMigrationReport(source: source.url.path, format: source.format, target: target.path,
                                     dryRun: options.dryRun, collections: reports,
                                     seconds: Date().timeIntervalSince(started), sourceProblems: sourceProblems)
    }

    // MARK: - Targets

    static func storeExists(at url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("store.sqlite").path)
    }

    /// Builds the whole store beside the target and renames it into place.
    private func importIntoNew(_ names: [String], progress: (@Sendable (ChromaMigrationProgress) -> Void)?) async throws(ChromaMigrationError) -> [ChromaCollectionReport] {
        let fileManager = FileManager.default
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            let contents = (try? fileManager.contentsOfDirectory(atPath: target.path)) ?? ["?"]
            guard isDirectory.boolValue, contents.isEmpty else {
                throw .targetNotAStore(path: target.path, reason: "exists and is not a KoHybrid store (nor an empty directory)")
            }
        }
        let staging = parent.appendingPathComponent(stagingPrefix + UUID().uuidString)
        do {
            let store = try Store(directory: staging, writers: .exclusive)
            var reports: [ChromaCollectionReport] = []
            do {
                for name in names { reports.append(try await importCollection(name, into: store, progress: progress)) }
                progress?(.buildingIndexes)
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            progress?(.publishing)
            // An empty target directory is replaced atomically too (rename(2) over an empty dir).
            guard rename(staging.path, target.path) == 0 else {
                throw ChromaMigrationError.targetNotAStore(path: target.path, reason: "cannot move the finished store into place: \(String(cString: strerror(errno)))")
            }
            return reports
        } catch {
            try? fileManager.removeItem(at: staging)
            if let error = error as? ChromaMigrationError { throw error }
            if let error = error as? StoreError { throw .target(error) }
            throw .targetNotAStore(path: target.path, reason: "\(error)")
        }
    }

    private var stagingPrefix: String { ".\(target.lastPathComponent).migrating-" }

    /// Removes the staging stores that killed runs into this target left beside it, whether
    /// this run builds a new store or writes into one that an earlier run published.
    private func removeAbandonedStagings() async {
        let parent = target.deletingLastPathComponent()
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where leftover.hasPrefix(stagingPrefix) {
            await Self.removeAbandonedStaging(parent.appendingPathComponent(leftover))
        }
    }

    /// Removes the staging store of a killed run (never published). One whose writer lock is
    /// held belongs to a run still in progress and is left alone.
    private static func removeAbandonedStaging(_ directory: URL) async {
        do {
            let store = try Store(directory: directory, writers: .exclusive)
            try? await store.close()
        } catch {
            if case .writerLocked = error { return }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Upserts each collection in one transaction; removes collections it created if it fails.
    private func importIntoExisting(_ names: [String], progress: (@Sendable (ChromaMigrationProgress) -> Void)?) async throws(ChromaMigrationError) -> [ChromaCollectionReport] {
        let store: Store
        do { store = try Store(directory: target) } catch { throw .target(error) }
        var reports: [ChromaCollectionReport] = []
        do throws(ChromaMigrationError) {
            for name in names { reports.append(try await importCollection(name, into: store, progress: progress)) }
            progress?(.buildingIndexes)
            do { try await store.close() } catch { throw ChromaMigrationError.target(error) }
            return reports
        } catch {
            for report in reports where report.created { try? await store.deleteCollection(report.name) }
            try? await store.close()
            throw error
        }
    }

    // MARK: - One collection

    private func importCollection(_ name: String, into store: Store,
                                  progress: (@Sendable (ChromaMigrationProgress) -> Void)?) async throws(ChromaMigrationError) -> ChromaCollectionReport {
        progress?(.reading(collection: name))
        let collection = try read(name)
        var report = Self.report(for: collection, created: false)
        if !report.notMigrated.isEmpty, !options.allowPartial {
            throw .incomplete(collection: name, notMigrated: report.notMigrated)
        }
        guard report.status != .skipped, let dimension = collection.dimension ?? collection.records.first?.embedding?.count else {
            return report
        }
        let configuration = Self.configuration(for: collection, dimension: dimension)
        do {
            let existing = try await store.collections().first { $0.name == name }
            if let existing {
                if let conflict = Self.conflict(existing.configuration, configuration) {
                    throw ChromaMigrationError.incompatibleCollection(name: name, reason: conflict)
                }
            } else {
                try await store.createCollection(name, configuration: configuration)
                report.created = true
            }
            let total = collection.records.count
            let summary = try await store.upsert(collection.records, into: name) { done in
                progress?(.writing(collection: name, done: done, total: total))
            }
            report.imported = summary.inserted + summary.updated
            report.replaced = summary.updated
            if options.verify {
                progress?(.verifying(collection: name))
                let stored = try await store.get(from: name, includeEmbeddings: true)
                report.differences = Self.differences(source: collection.records, stored: stored)
                // The source's full set: records read but never written are differences too.
                if report.imported != collection.records.count {
                    report.differences?.append("\(collection.records.count - report.imported) records read from the source were not written")
                }
            }
        } catch let error as ChromaMigrationError {
            if report.created { try? await store.deleteCollection(name) }
            throw error
        } catch let error as StoreError {
            if report.created { try? await store.deleteCollection(name) }
            throw .target(error)
        } catch {
            throw .targetNotAStore(path: target.path, reason: "\(error)")
        }
        return report
    }

    private func selectedCollections() throws(ChromaMigrationError) -> [String] {
        let available: [String]
        do { available = try source.collections().map(\.name) } catch { throw .source(error) }
        guard let wanted = options.collections else { return available }
        for name in wanted where !available.contains(name) {
            throw .source(.unknownCollection(path: source.url.path, name: name, available: available))
        }
        return wanted
    }

    private func read(_ name: String) throws(ChromaMigrationError) -> ChromaCollection {
        do { return try source.readCollection(named: name) } catch { throw .source(error) }
    }

    /// The report before writing: a collection Chroma never wrote to has no dimension, and a
    /// KoHybrid collection needs one, so it is reported as skipped.
    static func report(for collection: ChromaCollection, created: Bool) -> ChromaCollectionReport {
        let dimension = collection.dimension ?? collection.records.first?.embedding?.count
        let readIDs = Set(collection.records.map(\.id))
        // A skipped line whose id is read from another line (a duplicate) is not a lost record.
        var lost: [ChromaSkippedRecord] = []
        var lostIDs = Set<String>()
        for skipped in collection.skipped where !readIDs.contains(skipped.id) && lostIDs.insert(skipped.id).inserted {
            lost.append(skipped)
        }
        let reason: String? = dimension != nil ? nil : lost.isEmpty
            ? "empty collection that Chroma never gave a dimension (no record was ever added); nothing to migrate"
            : "no record has a vector, so the collection has no dimension"
        return ChromaCollectionReport(
            name: collection.name, status: dimension == nil ? .skipped : .imported, reason: reason,
            space: collection.configuration.space, dimension: dimension, read: collection.records.count,
            imported: 0, replaced: 0, skipped: collection.skipped, notMigrated: lost, differences: nil, created: created)
    }

    /// Why records of `wanted` cannot go into an existing collection configured as `have`.
    static func conflict(_ have: CollectionConfiguration, _ wanted: CollectionConfiguration) -> String? {
        guard have.dimension != wanted.dimension || have.metric != wanted.metric else { return nil }
        return "dimension \(have.dimension) and metric \(have.metric.rawValue), the source has \(wanted.dimension) and \(wanted.metric.rawValue)"
    }

    /// Chroma's settings in KoHybrid terms. Chroma `l2` is squared Euclidean, as is KoHybrid's.
    /// HNSW M and ef_construction carry over; ef_search is at least KoHybrid's default, because
    /// chromadb 0.4/0.5 searched with ef 10 and missed true neighbours.
    static func configuration(for collection: ChromaCollection, dimension: Int) -> CollectionConfiguration {
        let metric: DistanceMetric = switch collection.configuration.space {
        case .l2: .l2
        case .cosine: .cosine
        case .ip: .innerProduct
        }
        var hnsw = HNSWParameters()
        if let m = collection.configuration.m { hnsw.m = m }
        if let ef = collection.configuration.efConstruction { hnsw.efConstruction = ef }
        hnsw.efSearch = max(hnsw.efSearch, collection.configuration.efSearch ?? 0)
        return CollectionConfiguration(dimension: dimension, metric: metric, hnsw: hnsw, metadata: collection.metadata)
    }

    /// Every field of every source record compared with what the store returns (embeddings by
    /// float32 bit pattern); one line per difference, at most 100.
    static func differences(source: [Record], stored: [Record]) -> [String] {
        let byID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var out: [String] = []
        for record in source {
            guard out.count < 100 else { break }
            guard let other = byID[record.id] else { out.append("\(record.id): missing"); continue }
            if other.document != record.document { out.append("\(record.id): document differs") }
            if other.metadata != record.metadata { out.append("\(record.id): metadata differs") }
            if other.embedding?.map(\.bitPattern) != record.embedding?.map(\.bitPattern) {
                out.append("\(record.id): embedding differs")
            }
        }
        return out
    }
}
