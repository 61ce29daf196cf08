import Foundation

/// A compiled regular expression for `where_document`'s `$regex` / `$not_regex`, compared and
/// hashed by its source text. Compiled once when the filter is parsed, so a bad pattern is an
/// error naming the filter path and a filtered search never recompiles it per record.
public struct DocumentPattern: Sendable, Hashable {
    public let source: String
    private let expression: NSRegularExpression

    public init(_ source: String, path: String = "where_document.$regex") throws(FilterError) {
        do { expression = try NSRegularExpression(pattern: source) } catch {
            throw FilterError(path: path, reason: "not a valid regular expression: \(source)")
        }
        self.source = source
    }

    public func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    public static func == (a: Self, b: Self) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
