import Foundation
import KoHybridAnalysis

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

    /// The `k` best documents for `query`, best first, ties broken by key ascending. Each distinct
    /// (field, text) in the query counts once. `filter`, when given, keeps only keys it accepts.
    ///
    /// Exact: MaxScore (Turtle & Flood 1995) skips only documents that provably cannot enter the
    /// top k, so the result equals `exhaustiveSearch`.
    public func search(_ query: [Term], k: Int, filter: ((UInt64) -> Bool)? = nil) -> [BM25Hit] {
        guard k > 0 else { return [] }
        var terms = scoredTerms(query)
        guard !terms.isEmpty else { return [] }
        // Ascending upper bounds: a prefix of low-bound terms is "non-essential" once their bounds
        // together cannot reach the k-th best score.
        terms.sort { $0.upperBound < $1.upperBound || ($0.upperBound == $1.upperBound && $0.id < $1.id) }
        var prefix = [Double](repeating: 0, count: terms.count)
        var running = 0.0
        for i in terms.indices { running += Double(terms[i].upperBound); prefix[i] = running }

        let lists = terms.map { postings[$0.id] }
        return lengths[0].withUnsafeBufferPointer { wordLengths in
            lengths[1].withUnsafeBufferPointer { bigramLengths in
                docKeys.withUnsafeBufferPointer { keys in
                    withPointers(lists, 0, []) { pointers in
                        maxScore(terms, pointers, prefix, [wordLengths, bigramLengths], keys, k, filter)
                    }
                }
            }
        }
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
        var top = TopK(k: k)
        for doc in scores.indices where touched[doc] {
            if let filter, !filter(docKeys[doc]) { continue }
            top.offer(BM25Hit(key: docKeys[doc], score: Float(scores[doc])))
        }
        return top.sorted()
    }

    /// One term's BM25 contribution (bm25s "lucene": no `(k1 + 1)` factor, which ranks the same).
    @inline(__always)
    static func contribution(_ tf: Float, _ length: Float, _ term: ScoredTerm) -> Float {
        term.weight * (tf / (tf + (term.c0 + term.c1 * length)))
    }

    func scoredTerms(_ query: [Term]) -> [ScoredTerm] {
        let n = Float(count)
        guard n > 0 else { return [] }
        var seen = Set<Int>()
        var result: [ScoredTerm] = []
        let k1 = parameters.k1, b = parameters.b
        for term in query {
            guard let id = termIDs[TermKey(field: term.field, text: term.text)].map(Int.init),
                  !postings[id].isEmpty, seen.insert(id).inserted else { continue }
            let weight = parameters.fieldWeights[term.field]
            guard weight > 0 else { continue }
            let df = Float(postings[id].count)
            let idf = Float(log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5)))
            let field = term.field.rawValue
            let averageLength = Float(totalLength[field] / Double(count))
            var scored = ScoredTerm(id: id, fieldIndex: field, weight: weight * idf, c0: k1 * (1 - b),
                                    c1: averageLength > 0 ? k1 * b / averageLength : 0, upperBound: 0)
            // Contribution grows with tf and shrinks with length; a little slack covers rounding.
            scored.upperBound = Self.contribution(maxTF[id], minLength[id], scored) * (1 + 1e-5)
            result.append(scored)
        }
        return result
    }

    /// Calls `body` with buffer pointers to every list, nesting `withUnsafeBufferPointer` so each
    /// pointer stays valid for the whole call.
    private func withPointers<R>(_ lists: [[Posting]], _ i: Int, _ done: [UnsafeBufferPointer<Posting>],
                                 _ body: ([UnsafeBufferPointer<Posting>]) -> R) -> R {
        guard i < lists.count else { return body(done) }
        return lists[i].withUnsafeBufferPointer { withPointers(lists, i + 1, done + [$0], body) }
    }

    // swiftlint:disable:next function_parameter_count
    private func maxScore(_ terms: [ScoredTerm], _ lists: [UnsafeBufferPointer<Posting>], _ prefix: [Double],
                          _ fieldLengths: [UnsafeBufferPointer<Float>], _ keys: UnsafeBufferPointer<UInt64>,
                          _ k: Int, _ filter: ((UInt64) -> Bool)?) -> [BM25Hit] {
        let n = terms.count
        var cursor = [Int](repeating: 0, count: n)
        var top = TopK(k: k)
        var threshold = -Float.infinity
        var firstEssential = 0
        while firstEssential < n {
            // The next candidate is the smallest current doc among essential lists.
            var doc = UInt32.max
            for i in firstEssential..<n where cursor[i] < lists[i].count {
                doc = min(doc, lists[i][cursor[i]].doc)
            }
            if doc == .max { break }
            var score = 0.0
            for i in firstEssential..<n where cursor[i] < lists[i].count && lists[i][cursor[i]].doc == doc {
                let term = terms[i]
                score += Double(Self.contribution(lists[i][cursor[i]].tf, fieldLengths[term.fieldIndex][Int(doc)], term))
                cursor[i] += 1
            }
            // Non-essential lists, largest bound first, while the document can still make it.
            var pruned = false
            var i = firstEssential - 1
            while i >= 0 {
                if Float(score + prefix[i]) < threshold { pruned = true; break }
                let list = lists[i]
                var at = cursor[i]
                if at < list.count, list[at].doc < doc { at = Self.advance(list, from: at, to: doc) }
                cursor[i] = at
                if at < list.count, list[at].doc == doc {
                    let term = terms[i]
                    score += Double(Self.contribution(list[at].tf, fieldLengths[term.fieldIndex][Int(doc)], term))
                }
                i -= 1
            }
            if pruned || Float(score) < threshold { continue }
            let key = keys[Int(doc)]
            if let filter, !filter(key) { continue }
            top.offer(BM25Hit(key: key, score: Float(score)))
            if top.isFull {
                threshold = top.threshold
                while firstEssential < n, Float(prefix[firstEssential]) < threshold { firstEssential += 1 }
            }
        }
        return top.sorted()
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
