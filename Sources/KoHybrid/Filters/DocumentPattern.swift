import CICU

/// A compiled regular expression for `where_document`'s `$regex` / `$not_regex`, compared and
/// hashed by its source text. Compiled once when the filter is parsed (a bad pattern is an error
/// naming the filter path), matched with ICU under a step limit: a pattern that backtracks
/// exponentially (`(a+)+$`) fails the filter with an error instead of stalling a search.
public struct DocumentPattern: Sendable, Hashable {
    public let source: String
    private let compiled: Compiled

    /// Steps of ICU's match engine one document may take (each on the order of a millisecond).
    public static let stepLimit: Int32 = 200

    /// Owns the ICU handle; matching clones it, so sharing across threads is safe.
    private final class Compiled: @unchecked Sendable {
        let handle: UnsafeMutableRawPointer
        init(_ handle: UnsafeMutableRawPointer) { self.handle = handle }
        deinit { kh_icu_regex_close(handle) }
    }

    public init(_ source: String, path: String = "where_document.$regex") throws(FilterError) {
        let units = Array(source.utf16)
        var offset: Int32 = -1
        guard let handle = kh_icu_regex_open(units, Int32(units.count), &offset) else {
            throw FilterError(path: path, reason: "not a valid regular expression: \(source)" + (offset >= 0 ? " (at \(offset))" : ""))
        }
        self.source = source
        compiled = Compiled(handle)
    }

    /// Whether part of `text` matches; throws when the match exceeds the step limit.
    public func matches(_ text: String, path: String = "where_document.$regex") throws(FilterError) -> Bool {
        let units = Array(text.utf16)
        switch kh_icu_regex_find(compiled.handle, units, Int32(units.count), Self.stepLimit) {
        case 1: return true
        case 0: return false
        default:
            throw FilterError(path: path, reason: "the regular expression \(source) took too long on a document "
                + "(nested repetition such as (a+)+ backtracks exponentially); simplify it")
        }
    }

    public static func == (a: Self, b: Self) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
