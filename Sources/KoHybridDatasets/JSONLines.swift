import Foundation

/// Line-oriented reading with 1-based line numbers for error messages.
public enum JSONLines {
    /// Calls `body` for each non-blank line of a UTF-8 text file.
    public static func forEachLine(in url: URL, _ body: (String, Int) throws(DatasetError) -> Void) throws(DatasetError) {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path: path) }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            lineNumber += 1
            var slice = data[start..<end]
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            start = end < data.endIndex ? data.index(after: end) : end
            guard let line = String(validating: slice, as: UTF8.self) else {
                throw .malformedLine(path: path, line: lineNumber, reason: "not valid UTF-8")
            }
            if line.allSatisfy(\.isWhitespace) { continue }
            try body(line, lineNumber)
        }
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
