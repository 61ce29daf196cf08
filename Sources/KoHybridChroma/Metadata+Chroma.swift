import KoHybrid

/// Chroma metadata through KoHybridModel's one JSON conversion. Chroma stores no `null` values:
/// in a record's metadata a `null` member is left out, in an update it removes the key.
/// Problems are `unsupportedData` naming the file and `context` (the record, line or queue row).
extension Metadata {
    init(chroma json: JSONValue, path: String, context: String) throws(ChromaError) {
        do { self = try Metadata(json: json, path: "metadata", nulls: .omitted) } catch {
            throw .unsupportedData(path: path, reason: "\(context): \(error)")
        }
    }
}

extension Dictionary where Key == String, Value == MetadataValue? {
    init(chromaChanges json: JSONValue, path: String, context: String) throws(ChromaError) {
        do { self = try Self(changesJSON: json, path: "metadata") } catch {
            throw .unsupportedData(path: path, reason: "\(context): \(error)")
        }
    }
}
