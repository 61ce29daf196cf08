import Testing
@testable import KoHybridAnalysis

@Test func moduleLinks() { #expect(Bool(true)) }
