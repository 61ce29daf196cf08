/// SQLite's verdict on a database file (`PRAGMA integrity_check`): sound, or the first problems
/// it found. Damage bad enough to stop the check itself is reported as a problem, not thrown.
///
/// ```swift
/// switch try await store.integrityCheck() {
/// case .ok: print("database ok")
/// case .damaged(let problems): problems.forEach { print($0) }
/// }
/// ```
public enum IntegrityVerdict: Sendable, Hashable, CustomStringConvertible {
    case ok
    /// SQLite's findings, one per entry (at most ten), in its words.
    case damaged([String])

    public var isOK: Bool { self == .ok }

    /// `ok`, or the problems joined by `; `.
    public var description: String {
        switch self {
        case .ok: "ok"
        case let .damaged(problems): problems.joined(separator: "; ")
        }
    }
}
