import KoHybridAnalysis

/// An incremental BM25 inverted index (Robertson & Zaragoza 2009, Lucene's variant) over
/// analyzer terms, with exact top-k retrieval by MaxScore (Turtle & Flood 1995).
///
/// The fields are data (`BM25Parameters.fields`, by default words and bigrams of the document):
/// each (field, text) pair is its own postings list; a document's score is
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
    /// Fixed for the index's life: the score upper bounds depend on `k1` and `b`.
    public private(set) var parameters: BM25Parameters

    typealias Posting = PostingStore.Posting

    /// A term's identity: field number (into `parameters.fields`) plus UTF-8 bytes. Analyzer
    /// output is already NFKC-normalized, so byte equality is the right test, and hashing bytes
    /// skips `String`'s Unicode-aware hashing (measurably slow for Hangul in the query path).
    struct TermKey: Sendable, Hashable {
        var field: UInt8
        var text: String

        func hash(into hasher: inout Hasher) {
            hasher.combine(field)
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }

        static func == (a: TermKey, b: TermKey) -> Bool {
            a.field == b.field && a.text.utf8.elementsEqual(b.text.utf8)
        }
    }

    // Terms, by dense term id.
    var termIDs: [TermKey: UInt32] = [:]
    var termKeys: [TermKey] = []
    /// Postings sorted by doc number (doc numbers only grow, so appends keep the order).
    var postings = PostingStore()
    /// Each term's largest `tf / (tf + k1·(1 − b) + k1·b·dl / boundLength[field])` over its
    /// postings. Since the true average length never exceeds `boundLength`, this bounds every
    /// posting's saturation part of the score. Deletes leave it valid (a max over a superset).
    var termBound: [Float] = []
    /// Per field: the average length the bounds were computed for, kept ≥ the true average (with
    /// headroom, so growing collections rarely recompute).
    var boundLength: [Double]

    // Documents, by dense doc number.
    var docKeys: [UInt64] = []
    var alive: [Bool] = []
    /// Field length of each doc: `lengths[field.rawValue][doc]`.
    var lengths: [[Float]]
    /// Term ids of each doc, so a delete can find its postings. Only writers need them, so an
    /// opened index builds them on its first change (`ensureForwardLists`), keeping open fast.
    var docTerms: [[UInt32]] = []
    var hasForwardLists = true
    var docNumbers: [UInt64: UInt32] = [:]
    var totalLength: [Double]
    var deadCount = 0
    /// The fields each part's terms go to, by stream (`TermField.rawValue`), and the fields a
    /// query term of each stream is looked up in; derived from `parameters.fields`.
    let fieldsByPart: [String: [[UInt8]]]
    let queryFields: [[UInt8]]

    /// `parameters.problem` must be nil (`CollectionConfiguration` checks it); fields past
    /// `BM25Parameters.maximumFieldCount` are ignored.
    public init(parameters: BM25Parameters = .init()) {
        self.parameters = parameters
        let fields = parameters.fields.prefix(BM25Parameters.maximumFieldCount)
        boundLength = Array(repeating: 0, count: fields.count)
        lengths = Array(repeating: [], count: fields.count)
        totalLength = Array(repeating: 0, count: fields.count)
        var byPart: [String: [[UInt8]]] = [:]
        var byStream = [[UInt8]](repeating: [], count: TermField.allCases.count)
        for (number, field) in fields.enumerated() {
            byPart[field.part, default: Array(repeating: [], count: TermField.allCases.count)][field.terms.rawValue].append(UInt8(number))
            byStream[field.terms.rawValue].append(UInt8(number))
        }
        fieldsByPart = byPart
        queryFields = byStream
    }

    var fieldCount: Int { lengths.count }

    /// Number of live documents.
    public var count: Int { docNumbers.count }

    /// Number of distinct (field, text) terms with at least one live posting.
    public var termCount: Int { postings.indices.reduce(0) { $0 + (postings.count($1) > 0 ? 1 : 0) } }

    public func contains(key: UInt64) -> Bool { docNumbers[key] != nil }

    /// Adds the document, or replaces the one with this key: `terms` are its document part's
    /// (`BM25Field.documentPart`).
    public mutating func upsert(key: UInt64, terms: [Term]) {
        upsert(key: key, parts: [BM25Field.documentPart: terms])
    }

    /// Adds the document, or replaces the one with this key, from the terms of each part (a
    /// part no field reads is ignored; a missing part is empty).
    public mutating func upsert(key: UInt64, parts: [String: [Term]]) {
        ensureForwardLists()
        remove(key: key)
        var frequencies: [TermKey: Float] = [:]
        var fieldLengths = [Float](repeating: 0, count: fieldCount)
        for (part, terms) in parts {
            guard let routes = fieldsByPart[part] else { continue }
            for term in terms {
                for field in routes[term.field.rawValue] {
                    frequencies[TermKey(field: field, text: term.text), default: 0] += 1
                    fieldLengths[Int(field)] += 1
                }
            }
        }
        let doc = UInt32(docKeys.count)
        docKeys.append(key)
        alive.append(true)
        for field in 0..<fieldCount {
            lengths[field].append(fieldLengths[field])
            totalLength[field] += Double(fieldLengths[field])
        }
        var ids: [UInt32] = []
        ids.reserveCapacity(frequencies.count)
        for (termKey, tf) in frequencies {
            let id = termID(termKey)
            postings.append(Posting(doc: doc, tf: tf), to: Int(id))
            ids.append(id)
        }
        docTerms.append(ids)
        docNumbers[key] = doc
        refreshBoundsIfNeeded()
        for id in ids {
            let field = Int(termKeys[Int(id)].field)
            let tf = postings[Int(id)].last?.tf ?? 0
            termBound[Int(id)] = max(termBound[Int(id)], saturation(tf, fieldLengths[field], boundLength[field]))
        }
    }

    /// The length-normalized tf part of BM25 for an average length `average`.
    @inline(__always)
    func saturation(_ tf: Float, _ length: Float, _ average: Double) -> Float {
        let k1 = parameters.k1, b = parameters.b
        let c1 = average > 0 ? k1 * b / Float(average) : 0
        return tf / (tf + (k1 * (1 - b) + c1 * length))
    }

    /// Recomputes every bound of a field whose true average length passed its bound length.
    mutating func refreshBoundsIfNeeded(force: Bool = false) {
        var stale: [Int] = []
        for field in 0..<fieldCount {
            let average = count > 0 ? totalLength[field] / Double(count) : 0
            if force || average > boundLength[field] {
                boundLength[field] = average * 1.1   // headroom: 10% growth before the next refresh
                stale.append(field)
            }
        }
        guard !stale.isEmpty else { return }
        for id in termKeys.indices where stale.contains(Int(termKeys[id].field)) {
            let field = Int(termKeys[id].field)
            var best: Float = 0
            for posting in postings[id] {
                best = max(best, saturation(posting.tf, lengths[field][Int(posting.doc)], boundLength[field]))
            }
            termBound[id] = best
        }
    }

    /// Removes the document with this key; returns whether there was one.
    @discardableResult
    public mutating func remove(key: UInt64) -> Bool {
        guard docNumbers[key] != nil else { return false }
        ensureForwardLists()
        guard let doc = docNumbers.removeValue(forKey: key) else { return false }
        for id in docTerms[Int(doc)] {
            postings.remove(doc: doc, from: Int(id))
        }
        for field in 0..<fieldCount {
            totalLength[field] -= Double(lengths[field][Int(doc)])
            lengths[field][Int(doc)] = 0
        }
        docTerms[Int(doc)] = []
        alive[Int(doc)] = false
        deadCount += 1
        // Keep dead slots a minority so memory and doc numbers stay dense.
        if deadCount > 1024, deadCount > docNumbers.count { compact() }
        // Likewise abandoned postings space.
        else if postings.abandoned > 1 << 16, postings.abandoned > postings.data.count / 2 { compact() }
        refreshBoundsIfNeeded()
        return true
    }

    /// Rebuilds the per-document term lists from the postings (after `open`).
    mutating func ensureForwardLists() {
        guard !hasForwardLists else { return }
        var lists = [[UInt32]](repeating: [], count: docKeys.count)
        for id in postings.indices {
            for posting in postings[id] { lists[Int(posting.doc)].append(UInt32(id)) }
        }
        docTerms = lists
        hasForwardLists = true
    }

    private mutating func termID(_ key: TermKey) -> UInt32 {
        if let id = termIDs[key] { return id }
        let id = UInt32(termKeys.count)
        termIDs[key] = id
        termKeys.append(key)
        postings.addList()
        termBound.append(0)
        return id
    }

    /// Renumbers live documents densely (keeping their order), drops empty terms and recomputes
    /// the bounds.
    mutating func compact() {
        ensureForwardLists()
        var newNumber = [UInt32](repeating: .max, count: docKeys.count)
        var next: UInt32 = 0
        for doc in docKeys.indices where alive[doc] { newNumber[doc] = next; next += 1 }
        var newTermID = [UInt32](repeating: .max, count: termKeys.count)
        var rebuilt = BM25Index(parameters: parameters)
        for id in termKeys.indices where postings.count(id) > 0 {
            let newID = UInt32(rebuilt.termKeys.count)
            newTermID[id] = newID
            rebuilt.termIDs[termKeys[id]] = newID
            rebuilt.termKeys.append(termKeys[id])
            rebuilt.termBound.append(0)
        }
        rebuilt.postings = postings.compacted(keep: { postings.count($0) > 0 }, renumber: { newNumber[Int($0)] })
        for doc in docKeys.indices where alive[doc] {
            rebuilt.docKeys.append(docKeys[doc])
            rebuilt.alive.append(true)
            for field in 0..<fieldCount { rebuilt.lengths[field].append(lengths[field][doc]) }
            rebuilt.docTerms.append(docTerms[doc].map { newTermID[Int($0)] })
            rebuilt.docNumbers[docKeys[doc]] = newNumber[doc]
        }
        rebuilt.totalLength = totalLength
        rebuilt.refreshBoundsIfNeeded(force: true)
        self = rebuilt
    }
}
