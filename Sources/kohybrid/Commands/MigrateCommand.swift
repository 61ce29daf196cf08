import ArgumentParser

// Placeholder until this command lands.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid migrate is not available yet") }
}
