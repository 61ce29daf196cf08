import KoHybridSQLite
import Foundation
import KoHybrid

extension ChromaPersistedDirectory {
    /// Queue operation codes (`embeddings_queue.operation`).
    enum Operation: Int64 {
        case add = 0, update = 1, upsert = 2, delete = 3
        /// chromadb 1.5's attached-function backfill: carries no record change.
        case backfill = 4
    }

    /// Vectors flushed to the segment's hnswlib files, and the queue position they reflect
    /// (−1 when nothing was flushed, so the whole queue must be replayed).
    func readVectorSegment(_ db: ChromaDatabase, segment: String, collection: CollectionRow,
                           space: ChromaSpace) throws(ChromaError) -> (vectors: [String: [Float]], seqID: Int64) {
        let folder = directory.appendingPathComponent(segment)
        let picklePath = folder.appendingPathComponent("index_metadata.pickle").path
        // The label ↔ id maps are written at the first flush; before it the .bin files hold
        // nothing the queue does not also hold.
        guard FileManager.default.fileExists(atPath: picklePath) else { return ([:], -1) }
        let maps = try IndexMetadata(pickle: [UInt8](try HNSWSegmentFiles.readFile(picklePath)), path: picklePath)
        let files = try HNSWSegmentFiles(folder: folder)
        let headerPath = folder.appendingPathComponent("header.bin").path
        if let dimension = collection.dimension, files.header.elementCount > 0, files.header.dimension != dimension {
            throw .dimensionMismatch(path: headerPath, collection: collection.name, id: "(every flushed vector)",
                                     expected: dimension, found: files.header.dimension)
        }
        var vectors: [String: [Float]] = [:]
        for element in try files.liveElements(cosine: space == .cosine) {
            // A live element whose label is not in the maps was deleted after the last flush.
            if let id = maps.labelToID[element.label] { vectors[id] = element.vector }
        }
        // 0.4 keeps the flushed position only in the pickle; later versions in max_seq_id.
        let seqID = try maxSeqID(db, segment: segment) ?? maps.maxSeqID ?? -1
        return (vectors, seqID)
    }

    /// Replays the write-ahead queue rows of `collection` in `seq_id` order: rows after
    /// `vectorSeqID` change vectors, rows after `metadataSeqID` change documents and metadata
    /// (the METADATA segment is written synchronously, so that part is normally empty).
    /// Semantics follow Chroma: ADD creates only new ids, UPDATE changes only existing ones
    /// (metadata merged, `null` deletes a key), UPSERT does either, DELETE removes.
    func replayQueue(_ db: ChromaDatabase, collection: CollectionRow, vectorSeqID: Int64, metadataSeqID: Int64,
                     records: inout [String: RecordState], vectors: inout [String: [Float]]) throws(ChromaError) {
        let suffix = "/" + collection.id
        try db.forEachRow("""
            SELECT seq_id, operation, id, vector, encoding, metadata, topic FROM embeddings_queue
            WHERE seq_id > ? AND topic LIKE ? ORDER BY seq_id
            """, [.int(min(vectorSeqID, metadataSeqID)), .text("%" + suffix)]) { (row) throws(ChromaError) in
            guard row.text(6)?.hasSuffix(suffix) == true else { return }
            let seq = row.int(0)
            let id = row.text(2) ?? ""
            guard let operation = Operation(rawValue: row.int(1)) else {
                throw .unsupportedData(path: databasePath, reason: "embeddings_queue row \(seq): unknown operation \(row.int(1))")
            }
            if operation == .backfill { return }
            if seq > vectorSeqID {
                let vector = try decodeVector(row, seq: seq, id: id, collection: collection)
                switch operation {
                case .add: if vectors[id] == nil, let vector { vectors[id] = vector }
                case .update: if vectors[id] != nil, let vector { vectors[id] = vector }
                case .upsert: if let vector { vectors[id] = vector }
                case .delete: vectors[id] = nil
                case .backfill: break
                }
            }
            if seq > metadataSeqID {
                try applyMetadata(row, seq: seq, id: id, operation: operation, records: &records)
            }
        }
    }

    /// The queue's vector: little-endian float32 (`encoding` FLOAT32, or NULL in old rows).
    private func decodeVector(_ row: ChromaRow, seq: Int64, id: String, collection: CollectionRow) throws(ChromaError) -> [Float]? {
        let encoding = row.text(4)
        return try row.withBytes(3) { (bytes) throws(ChromaError) -> [Float] in
            guard encoding == nil || encoding == "FLOAT32" else {
                throw .unsupportedData(path: databasePath, reason: "embeddings_queue row \(seq) (record \"\(id)\"): vector encoding \(encoding ?? "")")
            }
            guard bytes.count % 4 == 0 else {
                throw .corruptData(path: databasePath, reason: "embeddings_queue row \(seq) (record \"\(id)\"): vector of \(bytes.count) bytes")
            }
            let count = bytes.count / 4
            if let dimension = collection.dimension, count != dimension {
                throw .dimensionMismatch(path: databasePath, collection: collection.name, id: id, expected: dimension, found: count)
            }
            return (0..<count).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }

    private func applyMetadata(_ row: ChromaRow, seq: Int64, id: String, operation: Operation,
                               records: inout [String: RecordState]) throws(ChromaError) {
        if operation == .delete { records[id] = nil; return }
        var members: [String: JSONValue] = [:]
        if let text = row.text(5) {
            let context = "embeddings_queue row \(seq) (record \"\(id)\")"
            let parsed: JSONValue
            do { parsed = try JSONValue(parsing: text) } catch {
                throw .corruptData(path: databasePath, reason: "\(context): metadata: \(error)")
            }
            guard case let .object(object) = parsed else {
                throw .corruptData(path: databasePath, reason: "\(context): metadata is not a JSON object")
            }
            members = object
        }
        var document: String?
        if case let .string(text)? = members.removeValue(forKey: Self.documentKey) { document = text }
        let context = "embeddings_queue row \(seq) (record \"\(id)\")"
        if records[id] == nil {
            guard operation == .add || operation == .upsert else { return }
            records[id] = RecordState(document: document, metadata: try Metadata(chroma: .object(members), path: databasePath, context: context))
        } else if operation != .add {
            if let document { records[id]?.document = document }
            let changes = try [String: MetadataValue?](chromaChanges: .object(members), path: databasePath, context: context)
            for (key, value) in changes { records[id]?.metadata[key] = value }
        }
    }
}
