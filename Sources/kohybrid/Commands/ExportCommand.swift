import ArgumentParser

// Placeholder until this command lands.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid export is not available yet") }
}
