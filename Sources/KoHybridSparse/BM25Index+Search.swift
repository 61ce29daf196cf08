import Foundation
import KoHybridAnalysis
import KoHybridCore

extension BM25Index {
    /// One query term resolved against the index, with everything its scores need.
    struct ScoredTerm {
        var id: Int
        var fieldIndex: Int
        /// field weight × idf
        var weight: Float
        /// `k1 · (1 − b)` and `k1 · b / avgdl` for the term's field.
        var c0: Float
        var c1: Float
        /// An upper bound of the term's contribution to any document's score.
        var upperBound: Float
    }

    /// The `k` best documents for `query`, best first, ties broken by key ascending. A query term
    /// is looked up in every field of its stream; each distinct (field, text) counts once. `filter`, when given, keeps only keys it accepts.
    ///
    /// Exact: MaxScore (Turtle & Flood 1995) skips only documents that provably cannot enter the
    /// top k, so the result equals `exhaustiveSearch`. Scores are summed in `Double`, where sums
    /// of a query's `Float` contributions are exact, so the order of summation cannot change them.
    public func search(_ query: [Term], k: Int, filter: ((UInt64) -> Bool)? = nil) -> [BM25Hit] {
        search(query, k: k, filter: filter, window: Self.windowSize)
    }

    /// `search` with a chosen window size, so tests can cover many windows on a small index.
    func search(_ query: [Term], k: Int, filter: ((UInt64) -> Bool)?, window: Int) -> [BM25Hit] {
        guard k > 0 else { return [] }
        var terms = scoredTerms(query)
        guard !terms.isEmpty else { return [] }
        // Ascending upper bounds: a prefix of low-bound terms is "non-essential" once their bounds
        // together cannot reach the k-th best score.
        terms.sort { $0.upperBound < $1.upperBound || ($0.upperBound == $1.upperBound && $0.id < $1.id) }
        var prefix = [Double](repeating: 0, count: terms.count)
        var running = 0.0
        for i in terms.indices { running += Double(terms[i].upperBound); prefix[i] = running }

        return Self.withBuffers(lengths[...], []) { fieldLengths in
            docKeys.withUnsafeBufferPointer { keys in
                postings.withLists { list in
                    var cursors = terms.map { ListCursor(postings: list($0.id), lengths: fieldLengths[$0.fieldIndex], term: $0) }
                    return cursors.withUnsafeMutableBufferPointer { cursors in
                        prefix.withUnsafeBufferPointer { prefix in
                            maxScore(cursors, prefix, keys, k, filter, window)
                        }
                    }
                }
            }
        }
    }

    /// Buffer pointers to every array, valid inside `body` (one per field, however many).
    private static func withBuffers<R>(_ arrays: ArraySlice<[Float]>, _ buffers: [UnsafeBufferPointer<Float>],
                                       _ body: ([UnsafeBufferPointer<Float>]) -> R) -> R {
        guard let first = arrays.first else { return body(buffers) }
        return first.withUnsafeBufferPointer { withBuffers(arrays.dropFirst(), buffers + [$0], body) }
    }

    /// Scores every posting of every query term; the reference `search` must match.
    public func exhaustiveSearch(_ query: [Term], k: Int, filter: ((UInt64) -> Bool)? = nil) -> [BM25Hit] {
        guard k > 0 else { return [] }
        let terms = scoredTerms(query)
        var scores = [Double](repeating: 0, count: docKeys.count)
        var touched = [Bool](repeating: false, count: docKeys.count)
        for term in terms {
            for posting in postings[term.id] {
                let length = lengths[term.fieldIndex][Int(posting.doc)]
                scores[Int(posting.doc)] += Double(Self.contribution(posting.tf, length, term))
                touched[Int(posting.doc)] = true
            }
        }
        var top = BoundedHeap<RankedHit>(capacity: k)
        for doc in scores.indices where touched[doc] {
            if let filter, !filter(docKeys[doc]) { continue }
            top.insert(RankedHit(BM25Hit(key: docKeys[doc], score: Float(scores[doc]))))
        }
        return top.sorted().map(\.hit)
    }

    /// One term's BM25 contribution (bm25s "lucene": no `(k1 + 1)` factor, which ranks the same).
    @inline(__always)
    static func contribution(_ tf: Float, _ length: Float, _ term: ScoredTerm) -> Float {
        term.weight * (tf / (tf + (term.c0 + term.c1 * length)))
    }

    func scoredTerms(_ query: [Term]) -> [ScoredTerm] {
        guard count > 0 else { return [] }
        let n = Double(count)
        let k1 = parameters.k1, b = parameters.b
        // Per field: k1·b / avgdl (0 for a field no document uses).
        let c1 = totalLength.map { total in total > 0 ? k1 * b / Float(total / n) : 0 }
        var result: [ScoredTerm] = []
        result.reserveCapacity(query.count)
        for term in query {
            for number in queryFields[term.field.rawValue] {
                let field = Int(number)
                let weight = parameters.fields[field].weight
                guard weight > 0, let id = termIDs[TermKey(field: number, text: term.text)].map(Int.init),
                      !result.contains(where: { $0.id == id }) else { continue }
                let df = Double(postings.count(id))
                guard df > 0 else { continue }
                let idf = Float(log(1 + (n - df + 0.5) / (df + 0.5)))
                // The bound was computed for an average length ≥ today's; a little slack covers rounding.
                result.append(ScoredTerm(id: id, fieldIndex: field, weight: weight * idf, c0: k1 * (1 - b), c1: c1[field],
                                         upperBound: weight * idf * termBound[id] * (1 + 1e-5)))
            }
        }
        return result
    }

    /// Documents per window of `maxScore`. Within a window, accumulating essential lists term at a
    /// time is cheap sequential work, while each window costs a re-partition and a seek per list;
    /// on kobest-boolq (5,757 docs, ~19 terms per query) 4096 gave 1.3× the queries/s of 512
    /// and 1.4× that of 256 (Evaluation/bm25/README.md). 32 KiB of scores still sit in L1/L2.
    static let windowSize = 4096

    /// A query term's postings list while `maxScore` walks it.
    struct ListCursor {
        var postings: UnsafeBufferPointer<Posting>
        /// Document lengths of the term's field.
        var lengths: UnsafeBufferPointer<Float>
        var term: ScoredTerm
        /// Next posting not yet passed.
        var at = 0
    }

    /// MaxScore over windows of doc numbers, as in Lucene's MaxScoreBulkScorer: within a window,
    /// the essential lists (those whose bounds together can reach the k-th score) are accumulated
    /// term-at-a-time into a small score array; each touched document is then completed from the
    /// non-essential lists, largest bound first, and dropped as soon as its bound falls short.
    ///
    /// Every buffer here is unsafe (and the window arrays live on the stack): this is the hot
    /// loop, and array bounds checks and uniqueness checks measurably slowed it.
    private func maxScore(_ lists: UnsafeMutableBufferPointer<ListCursor>, _ prefix: UnsafeBufferPointer<Double>,
                          _ keys: UnsafeBufferPointer<UInt64>, _ k: Int, _ filter: ((UInt64) -> Bool)?,
                          _ window: Int) -> [BM25Hit] {
        let n = lists.count
        var top = BoundedHeap<RankedHit>(capacity: k)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: window) { scores in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: window / 64) { touched in
                scores.initialize(repeating: 0)
                touched.initialize(repeating: 0)
                var threshold = -Float.infinity
                var windowStart = 0
                while windowStart < keys.count {
                    var firstEssential = 0
                    while firstEssential < n, Float(prefix[firstEssential]) < threshold { firstEssential += 1 }
                    if firstEssential == n { break }   // no document can reach the top k any more
                    let windowEnd = UInt32(min(windowStart + window, keys.count))
                    // Essential lists, term at a time.
                    for i in firstEssential..<n {
                        let list = lists[i].postings, lengths = lists[i].lengths, term = lists[i].term
                        var at = lists[i].at
                        if at < list.count, Int(list[at].doc) < windowStart {
                            at = Self.advance(list, from: at, to: UInt32(windowStart))
                        }
                        while at < list.count, list[at].doc < windowEnd {
                            let doc = Int(list[at].doc)
                            let slot = doc - windowStart
                            scores[slot] += Double(Self.contribution(list[at].tf, lengths[doc], term))
                            touched[slot >> 6] |= 1 << UInt64(slot & 63)
                            at += 1
                        }
                        lists[i].at = at
                    }
                    // Touched documents in doc order: complete, then offer.
                    for word in touched.indices where touched[word] != 0 {
                        var bits = touched[word]
                        touched[word] = 0
                        while bits != 0 {
                            let slot = word << 6 | bits.trailingZeroBitCount
                            bits &= bits - 1
                            let doc = windowStart + slot
                            var score = scores[slot]
                            scores[slot] = 0
                            var pruned = false
                            var i = firstEssential - 1
                            while i >= 0 {
                                if Float(score + prefix[i]) < threshold { pruned = true; break }
                                let list = lists[i].postings
                                var at = lists[i].at
                                if at < list.count, list[at].doc < UInt32(doc) { at = Self.advance(list, from: at, to: UInt32(doc)) }
                                lists[i].at = at
                                if at < list.count, list[at].doc == UInt32(doc) {
                                    score += Double(Self.contribution(list[at].tf, lists[i].lengths[doc], lists[i].term))
                                }
                                i -= 1
                            }
                            if pruned || Float(score) < threshold { continue }
                            let key = keys[doc]
                            if let filter, !filter(key) { continue }
                            top.insert(RankedHit(BM25Hit(key: key, score: Float(score))))
                            if let worst = top.worst { threshold = worst.hit.score }
                        }
                    }
                    windowStart += window
                }
            }
        }
        return top.sorted().map(\.hit)
    }

    /// First position at or after `from` whose doc is ≥ `doc`: galloping, then binary search.
    @inline(__always)
    static func advance(_ list: UnsafeBufferPointer<Posting>, from: Int, to doc: UInt32) -> Int {
        var low = from, step = 1, high = from + 1
        while high < list.count, list[high].doc < doc { low = high; step <<= 1; high = from + step }
        high = min(high, list.count)
        while low < high {
            let mid = (low + high) / 2
            if list[mid].doc < doc { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
