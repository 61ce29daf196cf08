import ArgumentParser

// Placeholder until this command lands.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid search is not available yet") }
}
