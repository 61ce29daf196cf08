import Foundation
import KoHybridDense
import KoHybridSparse

/// A collection's derived indexes as saved beside the database: `indexes/<collection id>/`
/// holds `sparse-<seq>.bm25`, `dense-<seq>.vec` and `manifest.json`, which names the pair and
/// the seq they include.
///
/// Publishing writes both index files first, then replaces the manifest by an atomic rename,
/// so a reader sees the old pair or the new pair, never a mix. Opening maps the vector file
/// (no rebuild), so a fresh process answers its first query quickly. Any problem (missing
/// files, a bad checksum, a seq from the future, a mismatched configuration) makes `load`
/// return nil and the caller rebuilds from SQLite: a snapshot is never the only copy of anything.
struct IndexSnapshot {
    static let formatVersion = 1
    static let manifestName = "manifest.json"

    /// The store seq the indexes include.
    var seq: Int64
    var sparse: BM25Index
    var dense: DenseIndex

    static func directory(root: URL, collectionID: Int64) -> URL {
        root.appendingPathComponent(String(collectionID))
    }

    /// What `manifest.json` says.
    struct Manifest: Codable, Equatable {
        var format: Int
        var seq: Int64
        var sparseFile: String
        var denseFile: String
        var sparseCount: Int
        var denseCount: Int
        var dimension: Int
        var metric: String
    }

    static func readManifest(in directory: URL) -> Manifest? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(manifestName)) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }

    /// Loads the published snapshot, or nil when there is none usable. `storeSeq` is the
    /// database's current seq: a snapshot claiming more than that belongs to other records
    /// (for example a store restored from an older backup).
    static func load(from directory: URL, configuration: CollectionConfiguration, storeSeq: Int64) -> IndexSnapshot? {
        guard let manifest = readManifest(in: directory), manifest.format == formatVersion, manifest.seq <= storeSeq,
              manifest.dimension == configuration.dimension, manifest.metric == configuration.metric.rawValue else { return nil }
        guard let sparse = try? BM25Index.open(directory.appendingPathComponent(manifest.sparseFile)),
              sparse.count == manifest.sparseCount, sparse.parameters == configuration.bm25 else { return nil }
        guard let dense = try? DenseIndex.open(directory.appendingPathComponent(manifest.denseFile), parameters: configuration.hnsw),
              dense.count == manifest.denseCount, dense.dimension == configuration.dimension,
              dense.metric == configuration.metric else { return nil }
        return IndexSnapshot(seq: manifest.seq, sparse: sparse, dense: dense)
    }

    /// Writes the pair, publishes the manifest by rename, then removes files no manifest names.
    func publish(to directory: URL) throws(StoreError) {
        let fileManager = FileManager.default
        do { try fileManager.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw .io(path: directory.path, message: "cannot create the index directory: \(FileSystemErrorText.describe(error))")
        }
        let manifest = Manifest(format: Self.formatVersion, seq: seq, sparseFile: "sparse-\(seq).bm25", denseFile: "dense-\(seq).vec",
                                sparseCount: sparse.count, denseCount: dense.count,
                                dimension: dense.dimension, metric: dense.metric.rawValue)
        do {
            try sparse.write(to: directory.appendingPathComponent(manifest.sparseFile))
        } catch { throw .io(path: directory.path, message: error.description) }
        do {
            try dense.write(to: directory.appendingPathComponent(manifest.denseFile))
        } catch { throw .io(path: directory.path, message: error.description) }
        let target = directory.appendingPathComponent(Self.manifestName)
        let temporary = directory.appendingPathComponent(".\(Self.manifestName).\(UUID().uuidString).tmp")
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(manifest)
            try data.write(to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw .io(path: target.path, message: "cannot publish the index manifest: \(FileSystemErrorText.describe(error))")
        }
        // Old pairs: readers that already opened them keep their mappings (unlinked files stay
        // readable while open; NFS clients rename them aside until closed).
        let keep: Set<String> = [Self.manifestName, manifest.sparseFile, manifest.denseFile]
        for name in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? [] where !keep.contains(name) && !name.hasPrefix(".") {
            try? fileManager.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}
