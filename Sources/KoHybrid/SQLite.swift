import CSQLite
import Foundation

/// A thin wrapper over one SQLite connection (the raw C API). Owned by one `Store` actor, so it
/// is never used from two threads at once.
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    let path: String
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String, readOnly: Bool) throws(StoreError) {
        self.path = path
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)).oneLine } ?? "cannot open"
            sqlite3_close(db)
            throw .database(path: path, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    func close() {
        statements.values.forEach { $0.finalize() }
        statements = [:]
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    var errorMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "database is closed" }

    func error(_ context: String) -> StoreError {
        .database(path: path, message: "\(context.oneLine): \(errorMessage.oneLine)")
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? errorMessage
            sqlite3_free(message)
            throw .database(path: path, message: "\(text.oneLine) (in \(sql.oneLine.prefix(60)))")
        }
    }

    /// A cached prepared statement, reset and with its bindings cleared.
    func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
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
    func transaction<T>(immediate: Bool, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
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

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    func scalarInt(_ sql: String, _ bindings: SQLiteValue...) throws(StoreError) -> Int64? {
        let stmt = try prepare(sql)
        // Reset at once: a statement left on a row keeps its read lock and would stall a writer.
        defer { stmt.reset() }
        try stmt.bind(bindings)
        guard try stmt.step() else { return nil }
        return stmt.isNull(0) ? nil : stmt.int(0)
    }
}

/// A value to bind to a statement parameter.
enum SQLiteValue {
    case int(Int64)
    case text(String)
    case floats([Float])
    case null
}

/// A prepared statement. Columns are read by index while a row is current. Reset it as soon as
/// its rows are read: until then it holds a shared lock on the database.
final class SQLiteStatement {
    private var stmt: OpaquePointer?
    private unowned let database: SQLiteDatabase

    init(_ stmt: OpaquePointer, database: SQLiteDatabase) {
        self.stmt = stmt
        self.database = database
    }

    func finalize() {
        sqlite3_finalize(stmt)
        stmt = nil
    }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    func bind(_ values: [SQLiteValue]) throws(StoreError) {
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
    func step() throws(StoreError) -> Bool {
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error("step")
        }
    }

    /// Binds and runs a statement that returns no rows.
    func run(_ values: SQLiteValue...) throws(StoreError) {
        try bind(values)
        try step()
        sqlite3_reset(stmt)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(stmt, column) }

    func text(_ column: Int32) -> String? {
        guard let raw = sqlite3_column_text(stmt, column) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: raw, count: count), as: UTF8.self)
    }

    /// A float32 vector stored as raw little-endian bytes.
    func floats(_ column: Int32) -> [Float]? {
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
    var oneLine: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
