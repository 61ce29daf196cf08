/// The label ↔ id maps of one HNSW segment, read from its `index_metadata.pickle`.
///
/// Two writers exist: chromadb 0.4–0.6 pickle an object of class
/// `chromadb.segment.impl.vector.local_persistent_hnsw.PersistentData`; chromadb 1.x (Rust,
/// serde_pickle) pickles a plain dict with the same keys. Both are accepted; any other shape is
/// refused with the file named.
struct IndexMetadata: Equatable {
    /// hnswlib label → Chroma record id, for every element that is live in the index.
    var labelToID: [UInt64: String]
    /// The queue position the files were flushed at; only 0.4 (and pickles carried over from it)
    /// store it here, later versions keep it in SQLite's `max_seq_id`.
    var maxSeqID: Int64?

    static let pythonModule = "chromadb.segment.impl.vector.local_persistent_hnsw"
    static let pythonClass = "PersistentData"

    init(labelToID: [UInt64: String], maxSeqID: Int64?) {
        self.labelToID = labelToID
        self.maxSeqID = maxSeqID
    }

    /// Parses the pickle bytes of `path`.
    init(pickle bytes: [UInt8], path: String) throws(ChromaError) {
        let fields: [PickleValue: PickleValue]
        switch try PickleReader.load(bytes, path: path) {
        case let .dict(members):
            fields = members
        case let .object(module, name, .dict(members)?) where module == Self.pythonModule && name == Self.pythonClass:
            fields = members
        case let .object(module, name, _):
            throw .unsupportedData(path: path, reason: "pickle holds a \(module).\(name), not Chroma's PersistentData")
        default:
            throw .unsupportedData(path: path, reason: "pickle holds neither a dict nor Chroma's PersistentData")
        }
        func field(_ key: String) -> PickleValue? { fields[.string(key)] }

        var labels: [UInt64: String] = [:]
        if case let .dict(map)? = field("label_to_id") {
            labels.reserveCapacity(map.count)
            for (key, value) in map {
                guard case let .int(label) = key, label >= 0, case let .string(id) = value else {
                    throw .corruptData(path: path, reason: "label_to_id holds a non-integer label or non-string id")
                }
                labels[UInt64(label)] = id
            }
        } else if case let .dict(map)? = field("id_to_label") {
            for (key, value) in map {
                guard case let .string(id) = key, case let .int(label) = value, label >= 0 else {
                    throw .corruptData(path: path, reason: "id_to_label holds a non-string id or non-integer label")
                }
                labels[UInt64(label)] = id
            }
        } else {
            throw .corruptData(path: path, reason: "pickle has neither label_to_id nor id_to_label")
        }
        labelToID = labels
        switch field("max_seq_id") {
        case let .int(value)?: maxSeqID = value
        case .some(PickleValue.none), nil: maxSeqID = nil
        default: throw .corruptData(path: path, reason: "max_seq_id is neither an integer nor None")
        }
    }
}
