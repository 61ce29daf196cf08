import KoHybridSQLite
import KoHybrid

extension ChromaPersistedDirectory {
    /// A record's document and metadata while the collection is being assembled.
    struct RecordState {
        var document: String?
        var metadata: Metadata
    }

    /// Documents and metadata of every live record, from the METADATA segment's rows in
    /// `embeddings` ⋈ `embedding_metadata` (+ `embedding_metadata_array` for 1.5 list values, one
    /// row per element in rowid order). The document is the key `chroma:document`.
    func readMetadataSegment(_ db: ChromaDatabase, segment: String) throws(ChromaError) -> [String: RecordState] {
        var idForRow: [Int64: String] = [:]
        var states: [String: RecordState] = [:]
        try db.forEachRow("SELECT id, embedding_id FROM embeddings WHERE segment_id = ?", [.text(segment)]) { (row) throws(ChromaError) in
            guard let id = row.text(1) else {
                throw .corruptData(path: databasePath, reason: "embeddings row \(row.int(0)) has no embedding_id")
            }
            idForRow[row.int(0)] = id
            states[id] = RecordState(document: nil, metadata: [:])
        }
        try db.forEachRow("""
            SELECT m.id, m.key, m.string_value, m.int_value, m.float_value, m.bool_value
            FROM embedding_metadata m JOIN embeddings e ON e.id = m.id WHERE e.segment_id = ?
            """, [.text(segment)]) { (row) throws(ChromaError) in
            guard let id = idForRow[row.int(0)], let key = row.text(1) else { return }
            guard let value = Self.typedValue(row, firstColumn: 2) else {
                throw .corruptData(path: databasePath, reason: "embedding_metadata of record \"\(id)\", key \"\(key)\" has no value")
            }
            if key == Self.documentKey {
                guard case let .string(document) = value else {
                    throw .corruptData(path: databasePath, reason: "document of record \"\(id)\" is not text")
                }
                states[id]?.document = document
            } else {
                states[id]?.metadata[key] = value
            }
        }
        guard schema.hasArrayTable else { return states }
        var lists: [String: [String: [MetadataValue]]] = [:]
        try db.forEachRow("""
            SELECT a.id, a.key, a.string_value, a.int_value, a.float_value, a.bool_value
            FROM embedding_metadata_array a JOIN embeddings e ON e.id = a.id WHERE e.segment_id = ? ORDER BY a.rowid
            """, [.text(segment)]) { (row) throws(ChromaError) in
            guard let id = idForRow[row.int(0)], let key = row.text(1) else { return }
            guard let value = Self.typedValue(row, firstColumn: 2) else {
                throw .corruptData(path: databasePath, reason: "embedding_metadata_array of record \"\(id)\", key \"\(key)\" has no value")
            }
            lists[id, default: [:]][key, default: []].append(value)
        }
        for (id, keys) in lists {
            for (key, elements) in keys {
                states[id]?.metadata[key] = try Self.list(elements, id: id, key: key, path: databasePath)
            }
        }
        return states
    }

    /// Elements of one list value, which must share a scalar type.
    static func list(_ elements: [MetadataValue], id: String, key: String, path: String) throws(ChromaError) -> MetadataValue {
        let mixed = ChromaError.corruptData(path: path, reason: "list metadata \"\(key)\" of record \"\(id)\" mixes types")
        switch elements.first {
        case .string?: return .stringList(try elements.map { (e) throws(ChromaError) in guard case let .string(x) = e else { throw mixed }; return x })
        case .int?: return .intList(try elements.map { (e) throws(ChromaError) in guard case let .int(x) = e else { throw mixed }; return x })
        case .double?: return .doubleList(try elements.map { (e) throws(ChromaError) in guard case let .double(x) = e else { throw mixed }; return x })
        case .bool?: return .boolList(try elements.map { (e) throws(ChromaError) in guard case let .bool(x) = e else { throw mixed }; return x })
        default: throw mixed
        }
    }
}
