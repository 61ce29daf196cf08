import ArgumentParser

// Placeholder until this command lands.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid ingest is not available yet") }
}
