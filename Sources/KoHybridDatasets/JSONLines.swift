import Foundation
import KoHybridFiles

/// Line-oriented reading with 1-based line numbers for error messages.
public enum JSONLines {
    /// Calls `body` for each non-blank line of a UTF-8 text file.
    public static func forEachLine(in url: URL, _ body: (String, Int) throws(DatasetError) -> Void) throws(DatasetError) {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path: path) }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .unreadableFile(path: path, reason: FileSystemErrorText.describe(error))
        }
        try forEachLine(of: data) { (bytes, lineNumber) throws(DatasetError) in
            var slice = bytes[...]
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            guard let line = String(validating: slice, as: UTF8.self) else {
                throw .malformedLine(path: path, line: lineNumber, reason: "not valid UTF-8")
            }
            if line.allSatisfy(\.isWhitespace) { return }
            try body(line, lineNumber)
        }
    }

    /// Calls `body` with the bytes of each line of `data` (without the "\n") and its 1-based
    /// number. The scan runs `memchr` over the raw bytes: walking `Data` byte by byte pays an
    /// exclusivity check per byte, which made a 100 MB export take seconds just to split.
    public static func forEachLine<E: Error>(of data: Data, _ body: (UnsafeRawBufferPointer, Int) throws(E) -> Void) throws(E) {
        var failure: E?
        data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            guard let base = all.baseAddress else { return }
            var start = 0, number = 0
            while start < all.count {
                let end = memchr(base + start, 0x0A, all.count - start).map { UnsafeRawPointer($0) - base } ?? all.count
                number += 1
                do throws(E) { try body(UnsafeRawBufferPointer(start: base + start, count: end - start), number) } catch {
                    failure = error
                    return
                }
                start = end + 1
            }
        }
        if let failure { throw failure }
    }

    /// Calls `body` with each line parsed as a JSON object.
    public static func forEachObject(in url: URL, _ body: ([String: Any], Int) throws(DatasetError) -> Void) throws(DatasetError) {
        let path = url.path
        try forEachLine(in: url) { (line, number) throws(DatasetError) in
            let parsed: Any
            do { parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
                throw .malformedLine(path: path, line: number, reason: "invalid JSON (\(line.prefix(60))…)")
            }
            guard let object = parsed as? [String: Any] else {
                throw .malformedLine(path: path, line: number, reason: "expected a JSON object")
            }
            try body(object, number)
        }
    }

    public static func requiredString(_ object: [String: Any], _ key: String, path: String, line: Int) throws(DatasetError) -> String {
        if let s = object[key] as? String { return s }
        if let n = object[key] as? NSNumber, key == "_id" { return n.stringValue }
        throw .malformedLine(path: path, line: line, reason: "missing string field \"\(key)\"")
    }

    static func stringMetadata(_ object: [String: Any], except: Set<String>) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in object where !except.contains(k) {
            if let s = v as? String { out[k] = s } else if let n = v as? NSNumber { out[k] = n.stringValue }
        }
        return out
    }
}
