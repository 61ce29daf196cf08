import ArgumentParser

// Placeholder until this command lands.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid restore is not available yet") }
}
