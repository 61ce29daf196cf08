import Foundation

/// A server script run with the peers Python on 127.0.0.1 and a free port for the length of a
/// test run. The script prints its port on its first stdout line and exits when its stdin closes,
/// so it stops with `stop()`, or at the latest when the test process ends.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let input: Pipe

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public init(script: URL, arguments: [String] = []) throws {
        guard let python = SharedData.peersPython else { throw SharedData.PythonUnavailable() }
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw SharedData.PythonFailed(status: process.terminationStatus, stderr: "\(script.lastPathComponent) did not start: \(message)")
        }
        self.process = process
        self.input = input
        self.port = port
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// The `kohybrid` command-line tool built beside the tests.
public enum CommandLineTool {
    public static func executable() throws -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kohybrid")
        let candidates = [beside, SharedData.repositoryRoot.appendingPathComponent(".build/debug/kohybrid")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw Missing()
        }
        return found
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "the kohybrid executable was not built (run swift build)" }
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// stdout parsed as one JSON object.
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
        }
    }

    /// Runs `kohybrid` with `arguments`; `environment` entries are added to this process's.
    /// The wait happens on a Dispatch thread, never on one of Swift concurrency's few
    /// cooperative threads, which other tests' network continuations and timers need.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once: a full stderr pipe must not stall the child.
        let errors = DataBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errors.data, as: UTF8.self))
    }
}

/// Bytes filled by one reader thread and read after it signals.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
