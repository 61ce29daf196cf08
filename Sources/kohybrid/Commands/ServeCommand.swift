import ArgumentParser
import Foundation
import KoHybridServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a store over HTTP: Chroma's API v2 (for chromadb.HttpClient) and KoHybrid's hybrid API.",
        discussion: """
        Unchanged Python code written against chromadb.HttpClient(host=..., port=...) works against \
        this server; the kohybrid Python client (Clients/python) adds hybrid search by text and \
        vector, each hit's dense and sparse ranks, and the generation context in one request. \
        The whole API is described at GET /openapi.json; GET /healthz answers probes.

        Listens on 127.0.0.1 unless --host says otherwise, or on a Unix domain socket with \
        --socket. Searches run on every core (a read-only store per core beside the writer). \
        SIGTERM or SIGINT: stop accepting, finish requests in flight, publish index snapshots, \
        release the writer lock, exit 0.

        Examples:
          kohybrid serve --store ./store
          kohybrid serve --store /mnt/efs/store --port 8000 --token-file /var/run/secrets/kohybrid-token
          kohybrid serve --store ./store --socket /tmp/kohybrid.sock --read-only
        """
    )

    @Option(help: "The store directory (created if missing, unless --read-only).") var store: String = ""
    @Option(help: "Address to listen on. Anything but loopback exposes the store to the network.") var host = "127.0.0.1"
    @Option(help: "TCP port (0 picks a free one; the address is printed on stderr).") var port = 8000
    @Option(help: ArgumentHelp("Listen on this Unix domain socket instead of TCP.", valueName: "path")) var socket: String?
    @Flag(help: "Open the store read-only: no writer lock, every write is refused with 403.") var readOnly = false
    @Option(help: ArgumentHelp("A file holding the bearer token clients must send (Authorization: Bearer T or X-Chroma-Token: T).",
                               valueName: "file")) var tokenFile: String?
    @Option(help: "Largest request body accepted, in MiB.") var maxBodyMb = 64
    @Flag(help: "Stop gracefully when standard input closes: for a parent (the Python PersistentClient) that holds a pipe to it, so the server never outlives a killed parent.")
    var exitWithParent = false
    @Flag(help: "Print the OpenAPI 3.1 document of the whole HTTP API and exit.") var printOpenapi = false

    func validate() throws {
        if printOpenapi { return }
        guard !store.isEmpty else { throw ValidationError("--store is required: the store directory to serve") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
        guard (1...4_096).contains(maxBodyMb) else { throw ValidationError("--max-body-mb must be 1...4096, got \(maxBodyMb)") }
        if let socket, socket.isEmpty { throw ValidationError("--socket needs a path") }
        _ = try token()
    }

    /// The token in --token-file, checked: present, and sendable in an HTTP header.
    private func token() throws -> String? {
        guard let tokenFile else { return nil }
        guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
            throw ValidationError("--token-file \(tokenFile): cannot read the file")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ValidationError("--token-file \(tokenFile): the file is empty") }
        // An HTTP header carries visible ASCII only: any other token could never be sent.
        guard token.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw ValidationError("--token-file \(tokenFile): a token is visible ASCII characters without spaces (HTTP headers carry nothing else)")
        }
        return token
    }

    func run() async throws {
        if printOpenapi {
            print(OpenAPIDocument.json)
            return
        }
        let token = try token()
        let configuration = ServerConfiguration(
            store: URL(fileURLWithPath: store),
            address: socket.map { .unixSocket(path: $0) } ?? .tcp(host: host, port: port),
            readOnly: readOnly, token: token, maxBodyBytes: maxBodyMb << 20)
        if exitWithParent {
            // EOF on stdin means the parent is gone (or let go): stop as on SIGTERM.
            Thread.detachNewThread {
                while !FileHandle.standardInput.availableData.isEmpty {}
                kill(getpid(), SIGTERM)
            }
        }
        try await KoHybridServer.run(configuration) { address in
            FileHandle.standardError.write(Data("kohybrid serve: listening on \(address)\n".utf8))
        }
        FileHandle.standardError.write(Data("kohybrid serve: stopped, snapshots published\n".utf8))
    }
}
