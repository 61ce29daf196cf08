import ArgumentParser

// Placeholder until this command lands.
struct BenchANNCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ann", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid ann is not available yet") }
}
