import Foundation
import KoHybridDense
import KoHybridFiles
import KoHybridSparse

/// A collection's derived indexes as saved beside the database: `indexes/<collection id>/`
/// holds `sparse-<seq>-<tag>.bm25`, `dense-<seq>-<tag>.vec` and `manifest.json`, which names
/// the pair, the exact store state they were built from (`StateBinding`), the fingerprint of
/// the analyzer rules that made the BM25 terms, and each file's digest.
///
/// Publishing writes both index files first, then replaces the manifest, every file through
/// `AtomicFile` (temporary file, fsync, rename, directory fsync), so a reader sees the old pair
/// or the new pair, never a mix. Publishers take turns under `SnapshotPublishLock` and never
/// replace a manifest that already covers as much of the same store state.
///
/// Loading trusts nothing: the manifest's own checksum, its binding against the database (a
/// store restored from a backup, a copied `store.sqlite`, a rolled-back volume all fail it even
/// at the same seq), its analyzer fingerprint against the one this build runs for the
/// collection (another release's rules would analyse queries differently from the documents
/// in the index), each file's digest against the manifest, and every byte of both files
/// against their checksums. Any problem makes `load` return nil and the caller rebuilds from
/// SQLite: a snapshot is never the only copy of anything.
struct IndexSnapshot {
    /// 3: with the analyzer fingerprint (format 2 snapshots are rebuilt once).
    static let formatVersion = 3
    static let manifestName = "manifest.json"
    static let lockName = "publish.lock"

    /// The store state the indexes include.
    var binding: StateBinding
    /// `AnalyzerConfiguration.fingerprint` of the analyzer whose terms `sparse` holds.
    var analyzerFingerprint: String
    var sparse: BM25Index
    var dense: DenseIndex

    var seq: Int64 { binding.seq }

    static func directory(root: URL, collectionID: Int64) -> URL {
        root.appendingPathComponent(String(collectionID))
    }

    /// What `manifest.json` says.
    struct Manifest: Codable, Equatable {
        var format: Int
        var seq: Int64
        /// The store's generation and the commit token of batch `seq` (see `StateBinding`).
        var generation: Int64
        var commit: Int64
        var analyzerFingerprint: String
        var sparseFile: String
        var denseFile: String
        /// Each file's own whole-file digest (the BM25 trailer, the vector file's header checksum).
        var sparseChecksum: UInt64
        var denseChecksum: UInt64
        var sparseCount: Int
        var denseCount: Int
        var dimension: Int
        var metric: String
        /// `Checksum64` of this manifest's JSON with `checksum` nil.
        var checksum: UInt64?

        var binding: StateBinding { StateBinding(generation: generation, seq: seq, commit: commit) }

        func encoded() -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return Array((try? encoder.encode(self)) ?? Data())
        }

        var computedChecksum: UInt64 {
            var unsigned = self
            unsigned.checksum = nil
            return Checksum64.of(unsigned.encoded())
        }
    }

    /// Why a published snapshot cannot be used (for `check`), or nil when it can.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case missing
        case unreadableManifest(String)
        case stale(String)
        case mismatchedConfiguration(String)
        case damagedFile(String)

        var description: String {
            switch self {
            case .missing: "no snapshot"
            case .unreadableManifest(let why): "manifest: \(why)"
            case .stale(let why): "stale: \(why)"
            case .mismatchedConfiguration(let why): "configuration: \(why)"
            case .damagedFile(let why): "damaged: \(why)"
            }
        }
    }

    /// The manifest, if it exists, parses and passes its own checksum.
    static func readManifest(in directory: URL) -> Manifest? {
        try? manifest(in: directory).get()
    }

    static func manifest(in directory: URL) -> Result<Manifest, Problem> {
        let url = directory.appendingPathComponent(manifestName)
        guard FileManager.default.fileExists(atPath: url.path) else { return .failure(.missing) }
        guard let data = try? Data(contentsOf: url) else { return .failure(.unreadableManifest("cannot read \(url.path)")) }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            return .failure(.unreadableManifest("\(url.path) is not a format \(formatVersion) manifest"))
        }
        guard manifest.format == formatVersion else {
            return .failure(.unreadableManifest("format \(manifest.format), this build reads format \(formatVersion)"))
        }
        guard manifest.checksum == manifest.computedChecksum else { return .failure(.unreadableManifest("checksum mismatch in \(url.path)")) }
        return .success(manifest)
    }

    /// Loads the published snapshot, or nil when there is none usable. `binding` answers which
    /// state the database holds at a seq (nil: that seq is not part of this store's history).
    static func load(from directory: URL, configuration: CollectionConfiguration,
                     current: (Int64) -> StateBinding?) -> IndexSnapshot? {
        try? open(from: directory, configuration: configuration, current: current).get()
    }

    static func open(from directory: URL, configuration: CollectionConfiguration,
                     current: (Int64) -> StateBinding?) -> Result<IndexSnapshot, Problem> {
        let manifest: Manifest
        switch Self.manifest(in: directory) {
        case .success(let m): manifest = m
        case .failure(let problem): return .failure(problem)
        }
        guard let storeState = current(manifest.seq) else {
            return .failure(.stale("built at seq \(manifest.seq), which the database has not reached"))
        }
        guard storeState == manifest.binding else {
            return .failure(.stale("built from another store state at seq \(manifest.seq) (generation \(manifest.generation), commit \(manifest.commit); the database has generation \(storeState.generation), commit \(storeState.commit))"))
        }
        guard manifest.dimension == configuration.dimension, manifest.metric == configuration.metric.rawValue else {
            return .failure(.mismatchedConfiguration("dimension \(manifest.dimension) \(manifest.metric), the collection has \(configuration.dimension) \(configuration.metric.rawValue)"))
        }
        guard manifest.analyzerFingerprint == configuration.analyzerFingerprint else {
            return .failure(.mismatchedConfiguration("analyzer rules \(manifest.analyzerFingerprint), this build analyses the collection with \(configuration.analyzerFingerprint)"))
        }
        let sparseURL = directory.appendingPathComponent(manifest.sparseFile)
        let denseURL = directory.appendingPathComponent(manifest.denseFile)
        guard BM25Index.storedChecksum(sparseURL) == manifest.sparseChecksum else {
            return .failure(.damagedFile("\(sparseURL.path) is missing or not the file the manifest names"))
        }
        guard DenseIndex.storedChecksum(denseURL) == manifest.denseChecksum else {
            return .failure(.damagedFile("\(denseURL.path) is missing or not the file the manifest names"))
        }
        let sparse: BM25Index
        do { sparse = try BM25Index.open(sparseURL) } catch { return .failure(.damagedFile(error.description)) }
        guard sparse.count == manifest.sparseCount else {
            return .failure(.damagedFile("\(sparseURL.path) holds \(sparse.count) documents, the manifest says \(manifest.sparseCount)"))
        }
        guard sparse.parameters == configuration.bm25 else { return .failure(.mismatchedConfiguration("BM25 parameters differ")) }
        // Every section, vectors and links included: a flipped byte there would otherwise change
        // results silently. One pass over the file at memory speed, once per process.
        let dense: DenseIndex
        do { dense = try DenseIndex.open(denseURL, parameters: configuration.hnsw, verification: .full) } catch {
            return .failure(.damagedFile(error.description))
        }
        guard dense.count == manifest.denseCount, dense.dimension == configuration.dimension, dense.metric == configuration.metric else {
            return .failure(.damagedFile("\(denseURL.path) holds \(dense.count) vectors of dimension \(dense.dimension), the manifest says \(manifest.denseCount) of \(manifest.dimension)"))
        }
        return .success(IndexSnapshot(binding: manifest.binding, analyzerFingerprint: manifest.analyzerFingerprint, sparse: sparse, dense: dense))
    }

    /// Writes the pair and the manifest, then removes files no manifest names. Call it under
    /// the directory's `SnapshotPublishLock`: it assumes no one else writes there meanwhile.
    func publish(to directory: URL) throws(StoreError) {
        let fileManager = FileManager.default
        // A tag per publication: two publishers of the same seq never write the same file name.
        let tag = UUID().uuidString.prefix(8).lowercased()
        let sparseFile = "sparse-\(seq)-\(tag).bm25", denseFile = "dense-\(seq)-\(tag).vec"
        let sparseURL = directory.appendingPathComponent(sparseFile), denseURL = directory.appendingPathComponent(denseFile)
        do { try sparse.write(to: sparseURL) } catch { throw .io(path: directory.path, message: error.description) }
        do { try dense.write(to: denseURL) } catch { throw .io(path: directory.path, message: error.description) }
        guard let sparseChecksum = BM25Index.storedChecksum(sparseURL), let denseChecksum = DenseIndex.storedChecksum(denseURL) else {
            throw .io(path: directory.path, message: "cannot read back the snapshot just written")
        }
        var manifest = Manifest(format: Self.formatVersion, seq: seq, generation: binding.generation, commit: binding.commit,
                                analyzerFingerprint: analyzerFingerprint, sparseFile: sparseFile, denseFile: denseFile, sparseChecksum: sparseChecksum, denseChecksum: denseChecksum,
                                sparseCount: sparse.count, denseCount: dense.count,
                                dimension: dense.dimension, metric: dense.metric.rawValue, checksum: nil)
        manifest.checksum = manifest.computedChecksum
        let target = directory.appendingPathComponent(Self.manifestName)
        do { try AtomicFile.write(manifest.encoded(), to: target) } catch {
            throw .io(path: target.path, message: "cannot publish the index manifest: \(error.description)")
        }
        // Old pairs and leftovers of crashed publishers: readers that already opened them keep
        // their mappings (unlinked files stay readable while open; NFS renames them aside).
        let keep: Set<String> = [Self.manifestName, Self.lockName, sparseFile, denseFile]
        for name in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? [] where !keep.contains(name) {
            try? fileManager.removeItem(at: directory.appendingPathComponent(name))
        }
        AtomicFile.syncDirectory(directory.path)
    }
}

/// The exact store state a snapshot was built from: the store's `generation` (random, new with
/// every store and every restore), the `seq` it includes, and the random token of the commit
/// that produced that seq (the `commits` table, see `StoreSchema`). Two stores, or two histories
/// of one store (a volume rolled back, then written again), never share all three.
struct StateBinding: Equatable, Hashable, Sendable {
    var generation: Int64
    var seq: Int64
    var commit: Int64
}
