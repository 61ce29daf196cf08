import Foundation

/// What `Store.check()` found: the database's integrity, and per collection its records, its
/// snapshot and whether the indexes built from that snapshot hold exactly the records.
public struct StoreCheckReport: Sendable, Hashable {
    /// One thing wrong, and where.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// `database`, or `collection "name"`.
        public var scope: String
        public var message: String

        public init(scope: String, message: String) {
            self.scope = scope; self.message = message
        }

        public var description: String { "\(scope): \(message)" }
    }

    public var directory: String
    /// The seq of the last committed write batch.
    public var seq: Int64
    /// `PRAGMA integrity_check`'s verdict.
    public var integrity: IntegrityVerdict
    public var collections: [CollectionCheck]
    public var problems: [Problem]

    public init(directory: String, seq: Int64, integrity: IntegrityVerdict, collections: [CollectionCheck],
                problems: [Problem]) {
        self.directory = directory; self.seq = seq; self.integrity = integrity; self.collections = collections
        self.problems = problems
    }

    /// Whether nothing is wrong.
    public var isClean: Bool { problems.isEmpty }
}

/// One collection in a `StoreCheckReport`.
public struct CollectionCheck: Sendable, Hashable {
    /// The state of a collection's published snapshot.
    public enum Snapshot: Sendable, Hashable {
        /// None published (the next open builds the indexes from the records).
        case none
        /// Usable: bound to this store's history, every checksum right; `seq` is what it includes.
        case usable(seq: Int64, current: Bool)
        /// Present but unusable (stale, damaged, another configuration); searches rebuild it.
        case unusable(reason: String)
    }

    public var name: String
    public var records: Int
    public var vectors: Int
    public var snapshot: Snapshot
    /// Documents and vectors in the indexes (the snapshot caught up with the records), when a
    /// usable snapshot was there to check.
    public var indexedDocuments: Int?
    public var indexedVectors: Int?

    public init(name: String, records: Int, vectors: Int, snapshot: Snapshot, indexedDocuments: Int? = nil,
                indexedVectors: Int? = nil) {
        self.name = name; self.records = records; self.vectors = vectors; self.snapshot = snapshot
        self.indexedDocuments = indexedDocuments; self.indexedVectors = indexedVectors
    }
}

extension Store {
    /// Checks everything a store's answers depend on, reading only: SQLite's full integrity
    /// check and foreign keys; per collection, the snapshot's manifest checksum, its binding to
    /// this store's state (`StateBinding`), both files' checksums over every byte, and that the
    /// indexes (the snapshot caught up with newer batches) hold exactly the collection's
    /// records: every record in BM25, every vector in the dense index, nothing else, and the
    /// HNSW graph's invariants. A missing snapshot is not a problem; an unusable one is.
    ///
    /// ```swift
    /// let report = try await Store(directory: url, mode: .readOnly).check()
    /// for problem in report.problems { print(problem) }
    /// ```
    public func check() throws(StoreError) -> StoreCheckReport {
        try requireOpen()
        var problems: [StoreCheckReport.Problem] = []
        func problem(_ scope: String, _ message: String) { problems.append(.init(scope: scope, message: message)) }

        let verdict = try Self.integrityVerdict(database)
        if !verdict.isOK {
            problem("database", "SQLite's integrity check fails: \(verdict)")
            // Reading the records of a damaged file proves nothing more (and may fail).
            return StoreCheckReport(directory: directory.path, seq: (try? records.currentSeq()) ?? 0, integrity: verdict,
                                    collections: [], problems: problems)
        }
        let foreignKeys = try database.prepare("PRAGMA foreign_key_check")
        var orphans = 0
        while try foreignKeys.step() { orphans += 1 }
        foreignKeys.reset()
        if orphans > 0 { problem("database", "\(orphans) rows point at collections that do not exist") }

        try refreshCollectionCache()
        let storeState = collectionCacheState
        var collections: [CollectionCheck] = []
        for row in collectionCache.values.sorted(by: { $0.name < $1.name }) {
            let scope = "collection \"\(row.name)\""
            let recordCount = try records.count(collectionID: row.id)
            let vectors = Int(try database.scalarInt("SELECT count(*) FROM records WHERE collection_id = ?1 AND vector IS NOT NULL",
                                                     .int(row.id)) ?? 0)
            var check = CollectionCheck(name: row.name, records: recordCount, vectors: vectors, snapshot: .none)
            var lookupError: StoreError?
            let opened = IndexSnapshot.open(from: IndexSnapshot.directory(root: indexManager.root, collectionID: row.id),
                                            configuration: row.configuration) { seq in
                if seq == storeState.seq { return storeState }
                do throws(StoreError) { return try records.state(at: seq) } catch { lookupError = error; return nil }
            }
            if let lookupError { throw lookupError }
            switch opened {
            case .failure(.missing):
                check.snapshot = .none
            case .failure(let why):
                check.snapshot = .unusable(reason: why.description)
                problem(scope, "index snapshot unusable (\(why)); searches rebuild it from the records, nothing is lost")
            case .success(let snapshot):
                check.snapshot = .usable(seq: snapshot.seq, current: snapshot.seq >= row.changedSeq)
                // Caught up in a private copy: checking publishes nothing and changes nothing.
                let indexes = CollectionIndexes(collectionID: row.id, configuration: row.configuration, snapshot: snapshot)
                try indexManager.catchUp(indexes, through: storeState)
                indexes.searcher.withIndexes { sparse, dense in
                    check.indexedDocuments = sparse.count
                    check.indexedVectors = dense.count
                }
                do { try verifyIndexes(indexes, collectionID: row.id) } catch {
                    problem(scope, "the indexes disagree with the records: \(error)")
                }
            }
            collections.append(check)
        }
        return StoreCheckReport(directory: directory.path, seq: storeState.seq, integrity: verdict,
                                collections: collections, problems: problems)
    }
}
