import KoHybridAnalysis

/// An incremental BM25 inverted index (Robertson & Zaragoza 2009, Lucene's variant) over
/// analyzer terms, with exact top-k retrieval by MaxScore (Turtle & Flood 1995).
///
/// Each (field, text) pair is its own postings list; a document's score is
/// `Σ_fields weight_f · Σ_terms idf(t) · tf / (tf + k1 · (1 − b + b · dl_f / avgdl_f))` with
/// `idf = ln(1 + (N − df + 0.5) / (df + 0.5))`, the formula bm25s calls "lucene". Collection
/// statistics (N, avgdl, df) stay exact through updates and deletes.
///
/// It is a value type whose storage is arrays (copy-on-write), so a reader can keep a snapshot
/// while a writer mutates its own copy.
///
/// ```swift
/// let analyzer = Analyzer()
/// var index = BM25Index()
/// index.upsert(key: 1, terms: analyzer.analyze("서울에서 유명한 스시 오마카세"))
/// index.upsert(key: 2, terms: analyzer.analyze("부산 해운대 돼지국밥 맛집"))
/// let hits = index.search(analyzer.analyze("서울 오마카세"), k: 10)   // [BM25Hit(key: 1, ...)]
/// try index.write(to: url)
/// let reopened = try BM25Index.open(url)
/// ```
public struct BM25Index: Sendable {
    public var parameters: BM25Parameters

    struct Posting: Sendable, Hashable {
        var doc: UInt32
        var tf: Float
    }

    struct TermKey: Sendable, Hashable {
        var field: TermField
        var text: String
    }

    // Terms, by dense term id.
    var termIDs: [TermKey: UInt32] = [:]
    var termKeys: [TermKey] = []
    /// Postings sorted by doc number (doc numbers only grow, so appends keep the order).
    var postings: [[Posting]] = []
    /// Inputs to each term's score upper bound: the largest tf and the shortest field length among
    /// its postings. Deletes leave them as (still valid) looser bounds until compaction.
    var maxTF: [Float] = []
    var minLength: [Float] = []

    // Documents, by dense doc number.
    var docKeys: [UInt64] = []
    var alive: [Bool] = []
    /// Field length of each doc: `lengths[field.rawValue][doc]`.
    var lengths: [[Float]] = Array(repeating: [], count: TermField.allCases.count)
    /// Term ids of each doc, so a delete can find its postings.
    var docTerms: [[UInt32]] = []
    var docNumbers: [UInt64: UInt32] = [:]
    var totalLength: [Double] = Array(repeating: 0, count: TermField.allCases.count)
    var deadCount = 0

    public init(parameters: BM25Parameters = .init()) { self.parameters = parameters }

    /// Number of live documents.
    public var count: Int { docNumbers.count }

    /// Number of distinct (field, text) terms with at least one live posting.
    public var termCount: Int { postings.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) } }

    public func contains(key: UInt64) -> Bool { docNumbers[key] != nil }

    /// Adds the document, or replaces the one with this key.
    public mutating func upsert(key: UInt64, terms: [Term]) {
        remove(key: key)
        var frequencies: [TermKey: Float] = [:]
        var fieldLengths = [Float](repeating: 0, count: TermField.allCases.count)
        for term in terms {
            frequencies[TermKey(field: term.field, text: term.text), default: 0] += 1
            fieldLengths[term.field.rawValue] += 1
        }
        let doc = UInt32(docKeys.count)
        docKeys.append(key)
        alive.append(true)
        for field in TermField.allCases {
            lengths[field.rawValue].append(fieldLengths[field.rawValue])
            totalLength[field.rawValue] += Double(fieldLengths[field.rawValue])
        }
        var ids: [UInt32] = []
        ids.reserveCapacity(frequencies.count)
        for (termKey, tf) in frequencies {
            let id = termID(termKey)
            postings[Int(id)].append(Posting(doc: doc, tf: tf))
            maxTF[Int(id)] = max(maxTF[Int(id)], tf)
            minLength[Int(id)] = min(minLength[Int(id)], fieldLengths[termKey.field.rawValue])
            ids.append(id)
        }
        docTerms.append(ids)
        docNumbers[key] = doc
    }

    /// Removes the document with this key; returns whether there was one.
    @discardableResult
    public mutating func remove(key: UInt64) -> Bool {
        guard let doc = docNumbers.removeValue(forKey: key) else { return false }
        for id in docTerms[Int(doc)] {
            let list = postings[Int(id)]
            if let at = Self.position(of: doc, in: list) { postings[Int(id)].remove(at: at) }
        }
        for field in TermField.allCases {
            totalLength[field.rawValue] -= Double(lengths[field.rawValue][Int(doc)])
            lengths[field.rawValue][Int(doc)] = 0
        }
        docTerms[Int(doc)] = []
        alive[Int(doc)] = false
        deadCount += 1
        // Keep dead slots a minority so memory and doc numbers stay dense.
        if deadCount > 1024, deadCount > docNumbers.count { compact() }
        return true
    }

    private mutating func termID(_ key: TermKey) -> UInt32 {
        if let id = termIDs[key] { return id }
        let id = UInt32(termKeys.count)
        termIDs[key] = id
        termKeys.append(key)
        postings.append([])
        maxTF.append(0)
        minLength.append(.infinity)
        return id
    }

    /// Binary search for `doc` in a postings list.
    static func position(of doc: UInt32, in list: [Posting]) -> Int? {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].doc < doc { low = mid + 1 } else { high = mid }
        }
        return low < list.count && list[low].doc == doc ? low : nil
    }

    /// Renumbers live documents densely (keeping their order), drops empty terms and recomputes
    /// the exact upper-bound inputs.
    mutating func compact() {
        var newNumber = [UInt32](repeating: .max, count: docKeys.count)
        var next: UInt32 = 0
        for doc in docKeys.indices where alive[doc] { newNumber[doc] = next; next += 1 }
        var newTermID = [UInt32](repeating: .max, count: termKeys.count)
        var rebuilt = BM25Index(parameters: parameters)
        for id in termKeys.indices where !postings[id].isEmpty {
            let newID = UInt32(rebuilt.termKeys.count)
            newTermID[id] = newID
            rebuilt.termIDs[termKeys[id]] = newID
            rebuilt.termKeys.append(termKeys[id])
            let field = termKeys[id].field.rawValue
            var list = postings[id]
            var bestTF: Float = 0, shortest = Float.infinity
            for i in list.indices {
                list[i].doc = newNumber[Int(list[i].doc)]
                bestTF = max(bestTF, list[i].tf)
                shortest = min(shortest, lengths[field][Int(postings[id][i].doc)])
            }
            rebuilt.postings.append(list)
            rebuilt.maxTF.append(bestTF)
            rebuilt.minLength.append(shortest)
        }
        for doc in docKeys.indices where alive[doc] {
            rebuilt.docKeys.append(docKeys[doc])
            rebuilt.alive.append(true)
            for field in TermField.allCases { rebuilt.lengths[field.rawValue].append(lengths[field.rawValue][doc]) }
            rebuilt.docTerms.append(docTerms[doc].map { newTermID[Int($0)] })
            rebuilt.docNumbers[docKeys[doc]] = newNumber[doc]
        }
        rebuilt.totalLength = totalLength
        self = rebuilt
    }
}
