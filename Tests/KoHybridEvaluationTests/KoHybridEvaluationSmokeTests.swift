import Testing
@testable import KoHybridEvaluation

@Test func moduleLinks() { #expect(Bool(true)) }
