import KoHybridSQLite

/// `chroma.sqlite3` through the one SQLite wrapper, with errors as `ChromaError.sqlite`.
typealias ChromaDatabase = SQLiteDatabase<ChromaError>
/// A result row of `ChromaDatabase.forEachRow`, valid only inside its callback.
typealias ChromaRow = SQLiteStatement<ChromaError>

extension SQLiteDatabase where Failure == ChromaError {
    /// Opens `path` read-only: SQLite still applies a `-wal` file if one is present (that is
    /// what a reader must see), but never writes to the database.
    static func open(readOnly path: String) throws(ChromaError) -> ChromaDatabase {
        let db = try ChromaDatabase(path: path, readOnly: true) { path, message in .sqlite(path: path, message: message) }
        db.setBusyTimeout(milliseconds: 5_000)
        return db
    }
}
