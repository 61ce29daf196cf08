/// The store's metadata column: the metadata as compact JSON text (keys sorted) and back,
/// through the one JSON conversion of KoHybridModel.
enum MetadataCodec {
    static func encode(_ metadata: Metadata) -> String { metadata.jsonText }

    /// Decodes a JSON object of metadata values; `path` prefixes error locations.
    static func decode(_ text: String, path: String) throws(MetadataError) -> Metadata {
        try Metadata(jsonText: text, path: path)
    }
}
