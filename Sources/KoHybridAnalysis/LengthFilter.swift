/// Drops empty tokens and tokens longer than `maximumLength` characters (URLs, base64, hashes):
/// they cost index space and almost never match a query.
public struct LengthFilter: Sendable, Hashable, Codable {
    public var maximumLength: Int

    public init(maximumLength: Int = 40) { self.maximumLength = maximumLength }

    public func filter(_ tokens: [Token]) -> [Token] {
        tokens.filter { !$0.text.isEmpty && $0.text.unicodeScalars.count <= maximumLength }
    }
}
