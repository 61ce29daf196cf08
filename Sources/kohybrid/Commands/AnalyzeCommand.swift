import ArgumentParser

// Placeholder until this command lands.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid analyze is not available yet") }
}
