import KoHybrid

extension ChromaPersistedDirectory {
    /// Resolves the index settings in the order that reflects what the index really used
    /// (the distance space Chroma reports is not always the one its index was built with): the
    /// VECTOR segment's legacy `hnsw:*` metadata (0.x-created collections; 1.x
    /// falls back to it too, while *reporting* `l2` for upgraded cosine collections), then
    /// `schema_str` (1.3+), then `config_json_str` in the 1.0 layout, then the collection's own
    /// `hnsw:*` metadata, then Chroma's default `l2`. The 0.5/0.6 `config_json_str` space is
    /// never used: it says `l2` for collections created with `{"hnsw:space": "cosine"}`.
    static func configuration(row: CollectionRow, collectionMetadata: Metadata, segmentMetadata: Metadata,
                              path: String) throws(ChromaError) -> ChromaIndexConfiguration {
        var candidates: [(source: String, settings: IndexSettings)] = [
            ("segment_metadata", IndexSettings(legacy: segmentMetadata)),
        ]
        if let text = row.schemaJSON, case let .object(schema)? = try? JSONValue.parse(text.utf8, path: path) {
            let path = ["float_list", "vector_index", "config"]
            if let config = JSONValue.object(schema).at(["keys", "#embedding"] + path) {
                candidates.append(("schema_str", IndexSettings(modern: config, hnsw: config.member("hnsw"))))
            }
            if let config = JSONValue.object(schema).at(["defaults"] + path) {
                candidates.append(("schema_str defaults", IndexSettings(modern: config, hnsw: config.member("hnsw"))))
            }
        }
        if let text = row.configJSON, let config = try? JSONValue.parse(text.utf8, path: path) {
            for kind in ["hnsw", "spann"] {
                if let index = config.at(["vector_index", kind]) {
                    candidates.append(("config_json_str", IndexSettings(modern: index, hnsw: index)))
                }
            }
            // 0.5/0.6 layout: trust its graph parameters, never its space.
            if let legacy = config.member("hnsw_configuration") {
                var settings = IndexSettings(modern: legacy, hnsw: legacy)
                settings.space = nil
                candidates.append(("config_json_str", settings))
            }
        }
        candidates.append(("collection_metadata", IndexSettings(legacy: collectionMetadata)))

        var resolved = ChromaIndexConfiguration(space: .l2, spaceSource: "default")
        var spaceFound = false
        for (source, settings) in candidates {
            if !spaceFound, let name = settings.space {
                guard let space = ChromaSpace(rawValue: name) else {
                    throw .unsupportedData(path: path, reason: "collection \"\(row.name)\": unknown distance space \"\(name)\" in \(source)")
                }
                resolved.space = space
                resolved.spaceSource = source
                spaceFound = true
            }
            resolved.m = resolved.m ?? settings.m
            resolved.efConstruction = resolved.efConstruction ?? settings.efConstruction
            resolved.efSearch = resolved.efSearch ?? settings.efSearch
        }
        return resolved
    }

    /// Index settings found in one place, under that place's key names.
    struct IndexSettings {
        var space: String?
        var m: Int?
        var efConstruction: Int?
        var efSearch: Int?

        /// `hnsw:space`, `hnsw:M`, `hnsw:construction_ef`, `hnsw:search_ef` metadata keys.
        init(legacy metadata: Metadata) {
            if case let .string(space)? = metadata["hnsw:space"] { self.space = space }
            if case let .int(value)? = metadata["hnsw:M"] { m = Int(clamping: value) }
            if case let .int(value)? = metadata["hnsw:construction_ef"] { efConstruction = Int(clamping: value) }
            if case let .int(value)? = metadata["hnsw:search_ef"] { efSearch = Int(clamping: value) }
        }

        /// JSON configuration: `space` in `config`, graph parameters in `hnsw`.
        init(modern config: JSONValue, hnsw: JSONValue?) {
            if case let .string(space)? = config.member("space") { self.space = space }
            func int(_ key: String) -> Int? {
                if case let .int(value)? = hnsw?.member(key) { Int(clamping: value) } else { nil }
            }
            m = int("max_neighbors") ?? int("M")
            efConstruction = int("ef_construction")
            efSearch = int("ef_search")
        }
    }
}
