import Foundation
import KoHybridModel

/// Line-oriented reading with 1-based line numbers for error messages.
public enum JSONLines {
    /// Calls `body` for each non-blank line of a UTF-8 text file.
    public static func forEachLine(in url: URL, _ body: (String, Int) throws(DatasetError) -> Void) throws(DatasetError) {
        let path = url.path
        let data = try DatasetFile.mapped(url)
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

    /// Calls `body` with each line parsed as a JSON object, by KoHybrid's one JSON parser
    /// (``JSONValue``), so `{"n": 4}` keeps an integer and `{"n": 4.0}` a float. A line that is
    /// not JSON, or not an object, is an error naming the file and line.
    public static func forEachObject(in url: URL, _ body: ([String: JSONValue], Int) throws(DatasetError) -> Void) throws(DatasetError) {
        let path = url.path
        try forEachLine(in: url) { (line, number) throws(DatasetError) in
            let parsed: JSONValue
            do throws(JSONParseError) { parsed = try JSONValue(parsing: line) } catch {
                throw .malformedLine(path: path, line: number, reason: "\(error.description) (\(line.prefix(60))…)")
            }
            guard case .object(let object) = parsed else {
                throw .malformedLine(path: path, line: number, reason: "expected a JSON object, got \(parsed.typeName)")
            }
            try body(object, number)
        }
    }

    /// The string member `key`; an integer `_id` (`{"_id": 7}`) reads as its digits.
    public static func requiredString(_ object: [String: JSONValue], _ key: String, path: String, line: Int) throws(DatasetError) -> String {
        switch object[key] {
        case .string(let s)?: return s
        case .int(let n)? where key == "_id": return String(n)
        case nil, .null?: throw .malformedLine(path: path, line: line, reason: "missing string field \"\(key)\"")
        case let other?: throw .malformedLine(path: path, line: line, reason: "field \"\(key)\" must be a string, got \(other.typeName)")
        }
    }

    /// The string member `key`, or nil when it is absent or `null`.
    public static func optionalString(_ object: [String: JSONValue], _ key: String, path: String, line: Int) throws(DatasetError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw .malformedLine(path: path, line: line, reason: "field \"\(key)\" must be a string, got \(other.typeName)")
        }
    }

    /// The other scalar members as text (`4` stays "4", `4.0` stays "4.0"); lists, objects and
    /// nulls are left out.
    static func stringMetadata(_ object: [String: JSONValue], except: Set<String>) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in object where !except.contains(key) {
            switch value {
            case .string(let s): out[key] = s
            case .int, .double, .bool: out[key] = value.jsonText
            case .null, .array, .object: continue
            }
        }
        return out
    }
}
