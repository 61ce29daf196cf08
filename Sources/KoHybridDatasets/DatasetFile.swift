import Foundation
import KoHybridFiles

enum DatasetFile {
    /// The bytes of a corpus file, memory-mapped (corpora and vector files run to gigabytes); a
    /// missing or unreadable file is an error naming it.
    static func mapped(_ url: URL) throws(DatasetError) -> Data {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path: path) }
        do { return try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .unreadableFile(path: path, reason: FileSystemErrorText.describe(error))
        }
    }
}
