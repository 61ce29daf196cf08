import ArgumentParser

// Placeholder until this command lands.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "(not yet available)")
    func run() async throws { throw ValidationError("kohybrid eval is not available yet") }
}
