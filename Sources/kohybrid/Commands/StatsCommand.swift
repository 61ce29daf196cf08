import ArgumentParser

// Placeholder until this command lands.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid stats is not available yet") }
}
