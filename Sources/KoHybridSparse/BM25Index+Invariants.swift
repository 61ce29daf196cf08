/// Structural invariants of `BM25Index`, checked by tests after every kind of mutation (internal,
/// reached through `@testable import`).
extension BM25Index {
    /// Descriptions of every broken invariant; empty when the index is sound.
    func invariantViolations() -> [String] {
        var index = self
        index.ensureForwardLists()
        return index.structuralViolations()
    }

    private func structuralViolations() -> [String] {
        var problems: [String] = []
        if docKeys.count != alive.count || docKeys.count != docTerms.count
            || lengths.contains(where: { $0.count != docKeys.count }) {
            problems.append("per-document arrays differ in length")
        }
        if docNumbers.count != alive.filter({ $0 }).count { problems.append("key map size differs from live docs") }
        for (key, doc) in docNumbers where Int(doc) >= docKeys.count || docKeys[Int(doc)] != key || !alive[Int(doc)] {
            problems.append("key \(key) maps to a wrong or dead doc \(doc)")
        }
        problems += postings.segmentViolations()
        var postingsPerDoc = [Int](repeating: 0, count: docKeys.count)
        for id in postings.indices {
            let list = postings[id]
            let field = Int(termKeys[id].field)
            for i in list.indices {
                let doc = Int(list[i].doc)
                if i > list.startIndex, list[i - 1].doc >= list[i].doc { problems.append("term \(termKeys[id].text): postings not sorted") }
                if doc >= docKeys.count || !alive[doc] { problems.append("term \(termKeys[id].text): posting to dead doc \(doc)"); continue }
                if saturation(list[i].tf, lengths[field][doc], boundLength[field]) > termBound[id] {
                    problems.append("term \(termKeys[id].text): bound does not cover doc \(doc)")
                }
                postingsPerDoc[doc] += 1
            }
        }
        for doc in docKeys.indices where postingsPerDoc[doc] != docTerms[doc].count {
            problems.append("doc \(doc): \(postingsPerDoc[doc]) postings but \(docTerms[doc].count) forward terms")
        }
        for field in lengths.indices {
            if count > 0, totalLength[field] / Double(count) > boundLength[field] {
                problems.append("field \(field): average length above the bound length")
            }
            let sum = lengths[field].indices.reduce(0.0) { $0 + (alive[$1] ? Double(lengths[field][$1]) : 0) }
            if sum != totalLength[field] { problems.append("field \(field): total length \(totalLength[field]) != \(sum)") }
        }
        return problems
    }
}
