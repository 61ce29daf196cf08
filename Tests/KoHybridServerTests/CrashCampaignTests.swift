import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KoHybrid
import KoHybridCore
import KoHybridTestSupport
import Testing

/// Three `kohybrid serve` writers taking turns on one store while a read-only server answers
/// searches, with writers killed (`kill -9`) and restarted at random: every acknowledged batch is
/// there exactly once, no batch is partial, readers never see an error or half a batch, and the
/// store passes SQLite's integrity check. `KOHYBRID_CRASH_KILLS` sets the number of kills (CI: 50;
/// `Evaluation/serve/crash-campaign.sh` runs a longer campaign).
@Suite(.serialized) struct CrashCampaignTests {
    static let batchSize = 20
    static let dimension = 8

    /// Shared state of one campaign, guarded by a lock (tasks of the campaign touch it at once).
    final class Campaign: @unchecked Sendable {
        let lock = NSLock()
        var writers: [ServerProcess]
        var acked: Set<String> = []
        var unknown: Set<String> = []
        var problems: [String] = []
        var kills = 0
        var readerChecks = 0
        var slowestRead = Duration.zero
        var stop = false
        init(writers: [ServerProcess]) { self.writers = writers }
        func with<T>(_ body: (Campaign) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(self) }
    }

    static func vector(_ seed: Int) -> [Double] {
        var generator = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
        return (0..<dimension).map { _ in Double(generator.next() % 1000) / 1000 + 0.001 }
    }

    static func body(batch: String) -> String {
        let ids = (0..<batchSize).map { "\"\(batch)-\($0)\"" }.joined(separator: ",")
        let embeddings = (0..<batchSize).map { "[" + vector(batch.hashValue &+ $0).map { String($0) }.joined(separator: ",") + "]" }.joined(separator: ",")
        let documents = (0..<batchSize).map { "\"배치 \(batch) 기록 \($0) 오마카세\"" }.joined(separator: ",")
        let metadatas = (0..<batchSize).map { _ in #"{"batch":"\#(batch)"}"# }.joined(separator: ",")
        return #"{"ids":[\#(ids)],"embeddings":[\#(embeddings)],"documents":[\#(documents)],"metadatas":[\#(metadatas)]}"#
    }

    @Test func killedWritersNeverLoseOrSplitABatch() async throws {
        let kills = Int(ProcessInfo.processInfo.environment["KOHYBRID_CRASH_KILLS"] ?? "") ?? 50
        let store = SharedData.temporaryDirectory("kohybrid-campaign")
        defer { try? FileManager.default.removeItem(at: store) }
        let first = try ServerProcess(store: store)
        let created = try await first.request("POST", ServerTests.collectionPath, body: #"{"name":"campaign","metadata":{"hnsw:space":"cosine"}}"#)
        #expect(created.status == 200)
        let uuid = "00000000-0000-4000-8000-000000000001"
        let seed = try await first.request("POST", "\(ServerTests.collectionPath)/\(uuid)/upsert", body: Self.body(batch: "seed"))
        #expect(seed.status == 200)
        let campaign = Campaign(writers: [first, try ServerProcess(store: store), try ServerProcess(store: store)])
        campaign.acked.insert("seed")
        let reader = try ServerProcess(store: store, arguments: ["--read-only"])

        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<3 {
                group.addTask {
                    var n = 0
                    while !campaign.with({ $0.stop }) {
                        n += 1
                        let batch = "w\(w)-\(n)"
                        let server = campaign.with { $0.writers[w] }
                        campaign.with { _ = $0.unknown.insert(batch) }
                        let response = try? await server.request("POST", "\(ServerTests.collectionPath)/\(uuid)/upsert", body: Self.body(batch: batch))
                        if let response, response.status == 200 {
                            campaign.with { $0.unknown.remove(batch); $0.acked.insert(batch) }
                        } else if let response, server.process.isRunning {
                            campaign.with { $0.problems.append("writer \(w) answered \(response.status): \(response.text.prefix(200))") }
                        } else {
                            // Killed under this request: wait for the replacement.
                            try await Task.sleep(for: .milliseconds(30))
                        }
                    }
                }
            }
            group.addTask {
                // Reader: searches and whole-batch gets through the read-only server.
                var i = 0
                while !campaign.with({ $0.stop }) {
                    i += 1
                    let (acked, unknown) = campaign.with { ($0.acked, $0.unknown) }
                    guard let batch = (i % 2 == 0 ? unknown.randomElement() : nil) ?? acked.randomElement() else { continue }
                    let started = ContinuousClock.now
                    let search = try await reader.request("POST", "/kohybrid/v1/collections/campaign/search",
                                                          body: #"{"text":"오마카세 기록","vector":[\#(Self.vector(i).map { String($0) }.joined(separator: ","))],"k":5}"#)
                    let get = try await reader.request("POST", "\(ServerTests.collectionPath)/\(uuid)/get",
                                                       body: #"{"where":{"batch":"\#(batch)"},"include":[]}"#)
                    var seen = -1
                    let elapsed = ContinuousClock.now - started
                    if case .object(let body)? = try? JSONValue(parsing: get.text), case .array(let ids)? = body["ids"] { seen = ids.count }
                    campaign.with { c in
                        c.readerChecks += 1
                        c.slowestRead = max(c.slowestRead, elapsed)
                        if search.status != 200 { c.problems.append("reader search: \(search.status) \(search.text.prefix(200))") }
                        if get.status != 200 { c.problems.append("reader get: \(get.status) \(get.text.prefix(200))") }
                        // An acknowledged batch is whole; any batch is whole or absent.
                        if acked.contains(batch), seen != Self.batchSize { c.problems.append("acked batch \(batch): reader saw \(seen) records") }
                        if seen != 0, seen != Self.batchSize { c.problems.append("batch \(batch) partly visible: \(seen) records") }
                    }
                }
            }
            group.addTask {
                // Killer: SIGKILL a random writer mid-work and start a new one in its place.
                for k in 0..<kills {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 20...150)))
                    let w = k % 3
                    let victim = campaign.with { $0.writers[w] }
                    kill(victim.process.processIdentifier, SIGKILL)
                    victim.process.waitUntilExit()
                    let replacement = try ServerProcess(store: store)
                    campaign.with { $0.writers[w] = replacement; $0.kills += 1 }
                }
                campaign.with { $0.stop = true }
            }
            try await group.waitForAll()
        }
        for writer in campaign.writers { #expect(writer.terminate().status == 0) }
        #expect(reader.terminate().status == 0)

        let (acked, unknown, problems) = campaign.with { ($0.acked, $0.unknown, $0.problems) }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(campaign.kills == kills)
        #expect(acked.count > kills, "the writers kept acknowledging batches between kills")
        let check = try Store(directory: store, mode: .readOnly)
        #expect(try await check.integrityCheck() == .ok)
        // `kohybrid check`: SQLite integrity, every snapshot's checksum and binding, records against the indexes.
        let report = try await check.check()
        #expect(report.isClean, "\(report.problems)")
        var byBatch: [String: Int] = [:]
        for record in try await check.get(from: "campaign") {
            if case .string(let batch)? = record.metadata["batch"] { byBatch[batch, default: 0] += 1 }
        }
        for batch in acked { #expect(byBatch[batch] == Self.batchSize, "acked batch \(batch) has \(byBatch[batch] ?? 0) records") }
        for batch in unknown { #expect(byBatch[batch] == nil || byBatch[batch] == Self.batchSize, "batch \(batch) is partial") }
        #expect(Set(byBatch.keys).isSubset(of: acked.union(unknown)))
        let total = try await check.count(in: "campaign")
        #expect(total == byBatch.values.reduce(0, +) && total % Self.batchSize == 0)
        // Dense search over the whole store still answers from indexes that caught up with every writer.
        let hits = try await check.search(SearchQuery(vector: Self.vector(7).map(Float.init), k: 10, mode: .dense), in: "campaign")
        #expect(hits.count == 10)
        try await check.close()
        print("crash campaign: \(kills) kills, \(acked.count) batches acknowledged, \(unknown.count) unacknowledged (\(unknown.filter { byBatch[$0] != nil }.count) of them landed whole), \(campaign.readerChecks) reader checks (slowest \(campaign.slowestRead))")
    }
}
