import Foundation
import CSQLite

/// A thin wrapper over one SQLite connection (the raw C API), the only one in KoHybrid: the
/// store's records, the embedding cache, backups and the Chroma reader all go through it.
/// Errors come out in the caller's own type (`failure` turns a file path and SQLite's message
/// into it), so each module keeps its typed throws. Not thread-safe: its owner (a `Store`
/// actor, a reader) never uses it from two threads at once.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "chroma.sqlite3", readOnly: true) { path, message in
///     ChromaError.sqlite(path: path, message: message)
/// }
/// try db.forEachRow("SELECT name FROM collections") { row in print(row.text(0) ?? "") }
/// ```
public final class SQLiteDatabase<Failure: Error> {
    public private(set) var handle: OpaquePointer?
    public let path: String
    let failure: (String, String) -> Failure
    private var statements: [String: SQLiteStatement<Failure>] = [:]

    /// Opens `path` (created if missing unless `readOnly`). A read-only connection never writes
    /// the file, but still applies a `-wal` file beside it if one is there.
    public init(path: String, readOnly: Bool, failure: @escaping (_ path: String, _ message: String) -> Failure) throws(Failure) {
        self.path = path
        self.failure = failure
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)).oneLine } ?? "cannot open (status \(rc))"
            sqlite3_close(db)
            throw failure(path, message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    public func close() {
        statements.values.forEach { $0.finalize() }
        statements = [:]
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// How long a statement waits for another connection's lock before failing.
    public func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }

    public var errorMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "database is closed" }

    /// An error naming the file, what was being done and SQLite's message, on one line.
    public func error(_ context: String) -> Failure {
        failure(path, "\(context.oneLine): \(errorMessage.oneLine)")
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws(Failure) {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? errorMessage
            sqlite3_free(message)
            throw failure(path, "\(text.oneLine) (in \(sql.oneLine.prefix(60)))")
        }
    }

    /// A cached prepared statement, reset and with its bindings cleared.
    public func prepare(_ sql: String) throws(Failure) -> SQLiteStatement<Failure> {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt else {
            throw error("prepare \(sql.prefix(60))")
        }
        let statement = SQLiteStatement(stmt, database: self)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// `BEGIN IMMEDIATE` takes the write lock up front, so a writer never fails half way on a lock.
    public func transaction<T>(immediate: Bool, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The first column of the first row, or nil (no row, or NULL).
    public func scalarInt(_ sql: String, _ bindings: SQLiteValue...) throws(Failure) -> Int64? {
        let stmt = try prepare(sql)
        // Reset at once: a statement left on a row keeps its read lock and would stall a writer.
        defer { stmt.reset() }
        try stmt.bind(bindings)
        guard try stmt.step() else { return nil }
        return stmt.isNull(0) ? nil : stmt.int(0)
    }

    /// Runs `sql` with `bindings` and calls `body` on each row (the statement, positioned on it).
    public func forEachRow(_ sql: String, _ bindings: [SQLiteValue] = [],
                           _ body: (SQLiteStatement<Failure>) throws(Failure) -> Void) throws(Failure) {
        let stmt = try prepare(sql)
        defer { stmt.reset() }
        try stmt.bind(bindings)
        while try stmt.step() { try body(stmt) }
    }

    /// All rows of `sql`, mapped by `transform`.
    public func rows<T>(_ sql: String, _ bindings: [SQLiteValue] = [],
                        _ transform: (SQLiteStatement<Failure>) throws(Failure) -> T) throws(Failure) -> [T] {
        var result: [T] = []
        try forEachRow(sql, bindings) { (row) throws(Failure) in result.append(try transform(row)) }
        return result
    }

    public func tableExists(_ name: String) throws(Failure) -> Bool {
        try !rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", [.text(name)]) { _ in () }.isEmpty
    }

    /// Column names of `table` (empty when the table does not exist).
    public func columns(of table: String) throws(Failure) -> Set<String> {
        // PRAGMA arguments cannot be bound; table names here are the callers' own constants.
        Set(try rows("PRAGMA table_info(\"\(table)\")") { $0.text(1) ?? "" })
    }
}

/// A value to bind to a statement parameter.
public enum SQLiteValue: Sendable {
    case int(Int64)
    case text(String)
    case floats([Float])
    case null
}

/// A prepared statement. Columns are read by index while a row is current. Reset it as soon as
/// its rows are read: until then it holds a shared lock on the database.
public final class SQLiteStatement<Failure: Error> {
    private var stmt: OpaquePointer?
    private unowned let database: SQLiteDatabase<Failure>

    init(_ stmt: OpaquePointer, database: SQLiteDatabase<Failure>) {
        self.stmt = stmt
        self.database = database
    }

    func finalize() {
        sqlite3_finalize(stmt)
        stmt = nil
    }

    public func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    public func bind(_ values: [SQLiteValue]) throws(Failure) {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .int(let v): rc = sqlite3_bind_int64(stmt, index, v)
            case .text(let s): rc = Self.bindText(stmt, index, s)
            case .floats(let vector):
                rc = vector.withUnsafeBytes { sqlite3_bind_blob(stmt, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
            case .null: rc = sqlite3_bind_null(stmt, index)
            }
            guard rc == SQLITE_OK else { throw database.error("bind") }
        }
    }

    /// Binds text with its exact UTF-8 byte length: a C string would end at the first NUL, so
    /// `"a\u{0}x"` and `"a\u{0}y"` would both be stored as `"a"`.
    static func bindText(_ stmt: OpaquePointer?, _ index: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_text(stmt, index, "", 0, SQLITE_TRANSIENT)
            }
            guard bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(stmt, index, $0, Int32(bytes.count), SQLITE_TRANSIENT)
            }
        }
    }

    /// Advances to the next row: true while there is one.
    @discardableResult
    public func step() throws(Failure) -> Bool {
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error("step")
        }
    }

    /// Binds and runs a statement that returns no rows.
    public func run(_ values: SQLiteValue...) throws(Failure) {
        try bind(values)
        try step()
        sqlite3_reset(stmt)
    }

    /// A column's storage class in the current row.
    public enum ColumnType: Sendable { case integer, float, text, blob, null }

    public func type(_ column: Int32) -> ColumnType {
        switch sqlite3_column_type(stmt, column) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .float
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }
    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(stmt, column) }

    public func text(_ column: Int32) -> String? {
        guard !isNull(column), let raw = sqlite3_column_text(stmt, column) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: raw, count: count), as: UTF8.self)
    }

    /// Calls `body` with the raw bytes of a BLOB (or TEXT) column, valid only inside it; nil for NULL.
    public func withBytes<T, E: Error>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? sqlite3_column_blob(stmt, column) : nil, count: count))
    }

    /// The raw bytes of a BLOB (or TEXT) column; nil for NULL.
    public func bytes(_ column: Int32) -> [UInt8]? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, column))
        guard count > 0, let raw = sqlite3_column_blob(stmt, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: count))
    }

    /// A float32 vector stored as raw little-endian bytes.
    public func floats(_ column: Int32) -> [Float]? {
        guard let raw = sqlite3_column_blob(stmt, column) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, column)) / MemoryLayout<Float>.size
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: raw, count: count * MemoryLayout<Float>.size))
            initialized = count
        }
    }
}

/// SQLite's "copy the bytes now" destructor marker, which the C macro cannot express in Swift.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension String {
    /// Error text on one line: SQL and some SQLite messages span lines, and a message that
    /// breaks across lines reads as several errors in a log.
    public var oneLine: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
