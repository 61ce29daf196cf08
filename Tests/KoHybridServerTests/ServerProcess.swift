import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KoHybridTestSupport

/// A real `kohybrid serve` child process on a free loopback port, as users run it.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let store: URL
    private(set) var baseURL = URL(string: "http://127.0.0.1")!
    private let stderr = Pipe()

    /// `$KOHYBRID_BIN`, else the binary `swift build` made beside the tests.
    static var binary: URL {
        get throws {
            if let path = ProcessInfo.processInfo.environment["KOHYBRID_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
            return try CommandLineTool.executable()
        }
    }

    init(store: URL, arguments: [String] = []) throws {
        self.store = store
        process.executableURL = try Self.binary
        process.arguments = ["serve", "--store", store.path, "--port", "0"] + arguments
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The server says where it listens on stderr once the socket accepts connections.
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let chunk = stderr.fileHandleForReading.availableData
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "listening on http://") {
                let rest = text[range.upperBound...].prefix { !$0.isWhitespace }
                baseURL = URL(string: "http://\(rest)")!
                return
            }
            if chunk.isEmpty { usleep(20_000) }
        }
        process.terminate()
        throw ServerStartError(output: text)
    }

    struct ServerStartError: Error { var output: String }

    /// Sends SIGTERM and waits for the exit; returns the exit status and the seconds it took.
    func terminate(timeout: TimeInterval = 20) -> (status: Int32, seconds: Double) {
        let start = Date()
        process.terminate()
        while process.isRunning, Date().timeIntervalSince(start) < timeout { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// One request; returns the status and the body parsed as JSON (nil when it is not JSON).
    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> (status: Int, text: String) {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }
}
