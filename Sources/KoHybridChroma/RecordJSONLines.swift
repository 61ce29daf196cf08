import KoHybrid

/// The `kohybrid export --format jsonl` line: one record as
/// `{"collection","id","document","metadata","embedding"}`, compact UTF-8 JSON.
///
/// Numbers are written so they read back to the identical value and type: embeddings with
/// Float's shortest round-trip form (`0.64790612`, not the float64 expansion), metadata
/// integers without a decimal point (`4`) and metadata floats always with one or an exponent
/// (`4.0`, `1e-07`). `ChromaSource` reads these files back (`.jsonLines`).
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
        appendString(collection, to: &out)
        out += ",\"id\":"
        appendString(record.id, to: &out)
        out += ",\"document\":"
        if let document = record.document { appendString(document, to: &out) } else { out += "null" }
        out += ",\"metadata\":{"
        // Sorted keys: the same record always gives the same line.
        for (index, key) in record.metadata.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            if let value = record.metadata[key] { appendValue(value, to: &out) }
        }
        out += "},\"embedding\":"
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

    static func appendValue(_ value: MetadataValue, to out: inout String) {
        func list<T>(_ items: [T], _ write: (T, inout String) -> Void) {
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, &out)
            }
            out += "]"
        }
        switch value {
        case let .string(text): appendString(text, to: &out)
        case let .int(number): out += String(number)
        case let .double(number): appendDouble(number, to: &out)
        case let .bool(flag): out += flag ? "true" : "false"
        case let .stringList(items): list(items) { appendString($0, to: &$1) }
        case let .intList(items): list(items) { $1 += String($0) }
        case let .doubleList(items): list(items) { appendDouble($0, to: &$1) }
        case let .boolList(items): list(items) { $1 += $0 ? "true" : "false" }
        }
    }

    /// Double's shortest round-trip text, which always has a `.` or an exponent (`4.0`, `1e-07`),
    /// so it reads back as a float, never an integer.
    static func appendDouble(_ number: Double, to out: inout String) {
        out += number.isFinite ? number.description : "null"
    }

    static func appendString(_ text: String, to out: inout String) {
        JSONValue.writeString(text, to: &out)
    }
}
