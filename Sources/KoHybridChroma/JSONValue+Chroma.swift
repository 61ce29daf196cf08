import KoHybrid

extension JSONValue {
    /// Parses UTF-8 `bytes` as one JSON text with KoHybrid's int/float-preserving parser;
    /// errors name the file (and line, for JSON lines).
    static func parse(_ bytes: some Collection<UInt8>, path: String, line: Int? = nil) throws(ChromaError) -> JSONValue {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidJSON(path: path, line: line, reason: "not valid UTF-8")
        }
        do { return try JSONValue(parsing: text) } catch { throw .invalidJSON(path: path, line: line, reason: error.description) }
    }
}
