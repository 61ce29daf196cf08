/// Everything that can go wrong while reading Chroma data. Every case names the file (and, where it
/// helps, the collection, record id or line), so a user can find the problem without a debugger.
public enum ChromaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file or directory the format requires is not there.
    case missingFile(path: String, reason: String)
    /// The file exists but could not be read (permissions, I/O error).
    case unreadableFile(path: String, reason: String)
    /// The path is not something this reader recognises as Chroma data.
    case notChromaData(path: String, reason: String)
    /// Chroma data in a layout this reader was not built for (e.g. 0.3.x, or newer than 1.5).
    case unsupportedVersion(path: String, reason: String)
    /// SQLite refused to open or query the database.
    case sqlite(path: String, message: String)
    /// The file is shorter than its own header says, or holds values that cannot be right.
    case corruptData(path: String, reason: String)
    /// The data is well formed but uses a feature this reader does not read (e.g. INT32 vectors).
    case unsupportedData(path: String, reason: String)
    /// A vector's length differs from the collection's dimension.
    case dimensionMismatch(path: String, collection: String, id: String, expected: Int, found: Int)
    /// A JSON or JSON-lines file could not be parsed (line is 1-based; nil for a whole-file JSON).
    case invalidJSON(path: String, line: Int?, reason: String)
    /// `--collections` named a collection the source does not have.
    case unknownCollection(path: String, name: String, available: [String])

    public var description: String {
        switch self {
        case let .missingFile(path, reason): "\(path): missing (\(reason))"
        case let .unreadableFile(path, reason): "\(path): cannot be read: \(reason)"
        case let .notChromaData(path, reason): "\(path): not Chroma data: \(reason)"
        case let .unsupportedVersion(path, reason): "\(path): unsupported Chroma version: \(reason)"
        case let .sqlite(path, message): "\(path): SQLite error: \(message)"
        case let .corruptData(path, reason): "\(path): truncated or corrupt: \(reason)"
        case let .unsupportedData(path, reason): "\(path): unsupported: \(reason)"
        case let .dimensionMismatch(path, collection, id, expected, found):
            "\(path): collection \"\(collection)\", record \"\(id)\": vector has \(found) values, the collection's dimension is \(expected)"
        case let .invalidJSON(path, line, reason):
            if let line { "\(path):\(line): invalid JSON record: \(reason)" } else { "\(path): invalid JSON: \(reason)" }
        case let .unknownCollection(path, name, available):
            "\(path): no collection named \"\(name)\" (it has: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
        }
    }
}
