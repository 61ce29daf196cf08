import Foundation

/// How long one fuzz target runs, from the environment:
/// - `KOHYBRID_FUZZ_EXECUTIONS`: executions per target (default: the target's CI count);
/// - `KOHYBRID_FUZZ_SECONDS`: run each target this long instead (a longer, local campaign);
/// - `KOHYBRID_FUZZ_SEED`: the generator seed (default 1; the same seed gives the same inputs);
/// - `KOHYBRID_FUZZ_INPUT_DIR`: write each input to `DIR/<target>.input` before running it, so
///   the input that kills the process is on disk afterwards.
struct FuzzCampaign {
    let target: String
    let executions: Int
    let seconds: Double?
    let seed: UInt64
    let inputDirectory: URL?

    init(target: String, ciExecutions: Int) {
        let env = ProcessInfo.processInfo.environment
        self.target = target
        executions = env["KOHYBRID_FUZZ_EXECUTIONS"].flatMap { Int($0) } ?? ciExecutions
        seconds = env["KOHYBRID_FUZZ_SECONDS"].flatMap { Double($0) }
        seed = env["KOHYBRID_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
        inputDirectory = env["KOHYBRID_FUZZ_INPUT_DIR"].map { URL(fileURLWithPath: $0) }
    }

    /// What the campaign saw: every execution ended in a value or a thrown error.
    struct Tally: CustomStringConvertible {
        var executions = 0
        var values = 0
        var errors: [String: Int] = [:]
        var seconds = 0.0
        var description: String {
            let kinds = errors.sorted { $0.value > $1.value }.prefix(6).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(executions) executions in \(String(format: "%.1f", seconds)) s: \(values) values, \(executions - values) errors (\(kinds))"
        }
    }

    /// Runs `body` on inputs from `mutator` until the budget is spent. A throw is a handled
    /// outcome (counted by its kind); a trap ends the test process, which is the failure.
    func run(_ mutator: inout Mutator, _ body: ([UInt8]) throws -> Void) -> Tally {
        var tally = Tally()
        let start = Date()
        let inputFile = inputDirectory.map { $0.appendingPathComponent("\(target).input") }
        while true {
            let elapsed = Date().timeIntervalSince(start)
            if let seconds { if elapsed >= seconds { break } } else if tally.executions >= executions { break }
            let input = mutator.next()
            if let inputFile { try? Data(input).write(to: inputFile) }
            do {
                try body(input)
                tally.values += 1
            } catch {
                tally.errors[Self.kind(of: error), default: 0] += 1
            }
            tally.executions += 1
        }
        tally.seconds = Date().timeIntervalSince(start)
        print("fuzz \(target) (seed \(seed)): \(tally)")
        return tally
    }

    /// `ChromaError.corruptData(...)` → "ChromaError.corruptData": the type and case, no payload.
    static func kind(of error: Error) -> String {
        let mirror = Mirror(reflecting: error)
        let name = mirror.displayStyle == .enum ? (mirror.children.first?.label ?? "\(error)") : nil
        return ["\(type(of: error))", name].compactMap { $0 }.joined(separator: ".")
    }
}
