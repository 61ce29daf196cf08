import ArgumentParser

/// A failure already phrased for the user: what went wrong and where (file, line, id, option).
/// `KoHybridCommand.main` prints it as `error: <description>` and exits with `status` (1 unless
/// a command documents another, like `migrate`'s 2 and 3).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var status: ExitCode

    init(_ description: String, status: ExitCode = .failure) {
        self.description = description
        self.status = status
    }
}
