import Foundation
import KoHybrid

/// Chroma data to migrate: a persisted directory of any chromadb from 0.4 to 1.5, a
/// `collection.get` JSON dump, or a JSON-lines export. Reading needs no Python and no running
/// Chroma, and never writes to the source (SQLite is opened read-only).
///
/// ```swift
/// let source = try ChromaSource.open(URL(fileURLWithPath: "./chroma-persist"))
/// print(source.format)                          // .persistedDirectory(.v1_3)
/// let sources = try source.readCollection(named: "sources")
/// for record in sources.records { print(record.id, record.document ?? "", record.metadata) }
/// ```
public struct ChromaSource: Sendable {
    public let url: URL
    public let format: ChromaSourceFormat
    public let exportOptions: ChromaExportOptions
    /// An export file is parsed once per source: listing its collections and reading each one
    /// would otherwise parse the whole file every time.
    private let parsedExport = ParsedExport()

    /// Recognises what `url` is. A directory must hold `chroma.sqlite3`; a `.json` file is read
    /// as a `collection.get` dump; `.jsonl`/`.ndjson` (or any other file) as JSON lines.
    public static func open(_ url: URL, exportOptions: ChromaExportOptions = ChromaExportOptions()) throws(ChromaError) -> ChromaSource {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missingFile(path: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            let database = url.appendingPathComponent("chroma.sqlite3").path
            guard FileManager.default.fileExists(atPath: database) else {
                for legacy in ["chroma.duckdb", "chroma-collections.parquet"]
                where FileManager.default.fileExists(atPath: url.appendingPathComponent(legacy).path) {
                    throw .unsupportedVersion(path: path, reason: "chromadb 0.3.x (DuckDB + Parquet) layout; open it with chromadb 0.4+ once to convert it, or export with collection.get")
                }
                throw .missingFile(path: database, reason: "a Chroma persisted directory holds chroma.sqlite3")
            }
            let family = try ChromaPersistedDirectory(directory: url).family
            return ChromaSource(url: url, format: .persistedDirectory(family), exportOptions: exportOptions)
        }
        let format: ChromaSourceFormat = url.pathExtension.lowercased() == "json" ? .getExport : .jsonLines
        return ChromaSource(url: url, format: format, exportOptions: exportOptions)
    }

    /// Collections in the source, by name, without reading their records.
    public func collections() throws(ChromaError) -> [ChromaCollectionSummary] {
        switch format {
        case .persistedDirectory: return try ChromaPersistedDirectory(directory: url).summaries()
        case .getExport, .jsonLines:
            return try exportCollections().map { ChromaCollectionSummary(name: $0.name, id: nil, dimension: $0.dimension) }
        }
    }

    /// What is wrong with the source as a whole before any collection is read: for a persisted
    /// directory, SQLite's integrity check of `chroma.sqlite3`. Empty when sound (exports are
    /// checked line by line as they are parsed).
    public func integrityProblems() throws(ChromaError) -> [String] {
        switch format {
        case .persistedDirectory: return try ChromaPersistedDirectory(directory: url).integrityProblems()
        case .getExport, .jsonLines: return []
        }
    }

    /// One collection with every live record in its final state.
    public func readCollection(named name: String) throws(ChromaError) -> ChromaCollection {
        switch format {
        case .persistedDirectory: return try ChromaPersistedDirectory(directory: url).readCollection(named: name)
        case .getExport, .jsonLines:
            let all = try exportCollections()
            guard let collection = all.first(where: { $0.name == name }) else {
                throw .unknownCollection(path: url.path, name: name, available: all.map(\.name))
            }
            return collection
        }
    }

    private func exportCollections() throws(ChromaError) -> [ChromaCollection] {
        try parsedExport.value { () throws(ChromaError) in
            switch format {
            case .getExport: [try ChromaExportReader.readGetDump(url, options: exportOptions)]
            default: try ChromaExportReader.readJSONLines(url, options: exportOptions)
            }
        }
    }
}

/// The collections of an export file once parsed, shared by copies of a `ChromaSource`.
private final class ParsedExport: @unchecked Sendable {
    private let lock = NSLock()
    private var collections: [ChromaCollection]?

    func value(_ parse: () throws(ChromaError) -> [ChromaCollection]) throws(ChromaError) -> [ChromaCollection] {
        lock.lock()
        defer { lock.unlock() }
        if let collections { return collections }
        let parsed = try parse()
        collections = parsed
        return parsed
    }
}
