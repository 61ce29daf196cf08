import ArgumentParser

// Placeholder until this command lands.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid backup is not available yet") }
}
