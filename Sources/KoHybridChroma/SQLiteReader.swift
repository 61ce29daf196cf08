import CSQLite
import Foundation

/// A read-only SQLite connection with just what reading `chroma.sqlite3` needs: prepared
/// statements, bound parameters and typed column access. Errors name the database file.
final class SQLiteReader {
    let path: String
    private var handle: OpaquePointer?

    /// Opens `path` read-only. SQLite still applies a `-wal` file if one is present (that is
    /// what a reader must see), but never writes to the database.
    init(readOnly path: String) throws(ChromaError) {
        self.path = path
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "status \(status)"
            sqlite3_close(db)
            throw .sqlite(path: path, message: message)
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { sqlite3_close(handle) }

    /// Runs `sql` with `bindings` and calls `body` for each row.
    func forEachRow(_ sql: String, _ bindings: [SQLiteBinding] = [],
                    _ body: (SQLiteRow) throws(ChromaError) -> Void) throws(ChromaError) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw .sqlite(path: path, message: "\(lastError) in \(Self.oneLine(sql))")
        }
        defer { sqlite3_finalize(statement) }
        for (index, binding) in bindings.enumerated() {
            let position = Int32(index + 1)
            let status: Int32 = switch binding {
            case let .text(text): Self.bindText(statement, position, text)
            case let .int(value): sqlite3_bind_int64(statement, position, value)
            }
            guard status == SQLITE_OK else { throw .sqlite(path: path, message: "\(lastError) binding \(Self.oneLine(sql))") }
        }
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw .sqlite(path: path, message: "\(lastError) in \(Self.oneLine(sql))") }
            try body(SQLiteRow(statement: statement))
        }
    }

    /// All rows of `sql`, mapped by `transform`.
    func rows<T>(_ sql: String, _ bindings: [SQLiteBinding] = [],
                 _ transform: (SQLiteRow) throws(ChromaError) -> T) throws(ChromaError) -> [T] {
        var result: [T] = []
        try forEachRow(sql, bindings) { (row) throws(ChromaError) in result.append(try transform(row)) }
        return result
    }

    func tableExists(_ name: String) throws(ChromaError) -> Bool {
        try !rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]) { _ in () }.isEmpty
    }

    /// Column names of `table` (empty when the table does not exist).
    func columns(of table: String) throws(ChromaError) -> Set<String> {
        // PRAGMA arguments cannot be bound; table names here are our own constants.
        Set(try rows("PRAGMA table_info(\"\(table)\")") { $0.text(1) ?? "" })
    }

    /// Binds text with its exact UTF-8 length (a C string would stop at the first NUL).
    private static func bindText(_ statement: OpaquePointer, _ position: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_text(statement, position, "", 0, sqliteTransient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, position, $0, Int32(clamping: bytes.count), sqliteTransient)
            }
        }
    }

    /// SQL in an error message on one line (the queries here span lines).
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    private var lastError: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection" }
}

enum SQLiteBinding {
    case text(String)
    case int(Int64)
}

/// SQLITE_TRANSIENT: SQLite copies bound text before `bind` returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One result row; valid only inside the `forEachRow` callback.
struct SQLiteRow {
    let statement: OpaquePointer

    enum ColumnType { case integer, float, text, blob, null }

    func type(_ column: Int32) -> ColumnType {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .float
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    func isNull(_ column: Int32) -> Bool { type(column) == .null }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func text(_ column: Int32) -> String? {
        guard !isNull(column), let pointer = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The raw bytes of a BLOB (or TEXT) column; nil for NULL.
    func withBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws(ChromaError) -> T) throws(ChromaError) -> T? {
        guard !isNull(column) else { return nil }
        let pointer = sqlite3_column_blob(statement, column)
        let count = Int(sqlite3_column_bytes(statement, column))
        return try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func bytes(_ column: Int32) -> [UInt8]? {
        try? withBytes(column) { Array($0) }
    }
}
