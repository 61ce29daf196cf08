import ArgumentParser

// Placeholder until this command lands.
struct BenchBM25Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bm25", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid bm25 is not available yet") }
}
