import KoHybridSQLite

/// The one SQLite wrapper (`KoHybridSQLite`) with the store's error type.
typealias StoreDatabase = SQLiteDatabase<StoreError>
typealias StoreStatement = SQLiteStatement<StoreError>

extension SQLiteDatabase where Failure == StoreError {
    /// Opens a database file; errors are `StoreError.database` naming it.
    convenience init(path: String, readOnly: Bool) throws(StoreError) {
        try self.init(path: path, readOnly: readOnly) { path, message in .database(path: path, message: message) }
    }
}
