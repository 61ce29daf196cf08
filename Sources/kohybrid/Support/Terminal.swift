import Foundation
import KoHybrid
#if canImport(Glibc)
import Glibc
#endif

/// Terminal helpers shared by every command: progress only when a person is watching, JSON for
/// scripts, errors on stderr.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// The one way a problem reaches the user: `error: <what and where>` on stderr. Commands
    /// throw instead of calling this; `KoHybridCommand.main` prints what they throw.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }

    /// A remark that is no error (a deprecated spelling, a mode that cannot run) on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("note: " + message + "\n").utf8))
    }

    /// Prints one JSON value on one line through the one `--json` encoder (keys sorted, so
    /// output diffs cleanly).
    static func printJSON(_ value: some JSONConvertible) {
        print(value.json.jsonText)
    }
}

/// A one-line progress display on stderr, shown only when stdout is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let total: Int?
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    init(_ label: String, total: Int? = nil, enabled: Bool = Terminal.stdoutIsTerminal) {
        self.label = label; self.total = total; self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let text: String
        if let total, total > 0 {
            text = "\r\(label): \(done)/\(total) (\(done * 100 / total)%)"
        } else {
            text = "\r\(label): \(done)"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
