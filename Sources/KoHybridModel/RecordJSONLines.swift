/// The store's own export format, one record a line (`kohybrid export --format jsonl`):
/// `{"collection","id","document","metadata","embedding"}`, compact UTF-8 JSON.
///
/// Numbers are written so they read back to the identical value and type: embeddings with
/// Float's shortest round-trip form (`0.64790612`, not the float64 expansion), metadata
/// integers without a decimal point (`4`) and metadata floats always with one or an exponent
/// (`4.0`, `1e-07`). `kohybrid migrate` reads these files back (KoHybridChroma's `.jsonLines`
/// source).
///
/// ```swift
/// let line = RecordJSONLines.line(collection: "sources", record: record)
/// // {"collection":"sources","id":"s1","document":"스시 오마카세","metadata":{"price":120000},"embedding":[0.25,-1.5]}
/// ```
public enum RecordJSONLines {
    /// One line (without the trailing newline). Non-finite floats, which JSON cannot hold, are
    /// written as `null`; KoHybrid stores never contain them.
    public static func line(collection: String, record: Record) -> String {
        var out = "{\"collection\":"
        JSONValue.writeString(collection, to: &out)
        out += ",\"id\":"
        JSONValue.writeString(record.id, to: &out)
        out += ",\"document\":"
        if let document = record.document { JSONValue.writeString(document, to: &out) } else { out += "null" }
        // Sorted keys: the same record always gives the same line.
        out += ",\"metadata\":"
        record.metadata.json.write(to: &out)
        out += ",\"embedding\":"
        if let embedding = record.embedding {
            out += "["
            for (index, x) in embedding.enumerated() {
                if index > 0 { out += "," }
                out += x.isFinite ? x.description : "null"
            }
            out += "]"
        } else {
            out += "null"
        }
        out += "}"
        return out
    }
}
