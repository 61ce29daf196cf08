import Testing
@testable import KoHybridSparse

@Test func moduleLinks() { #expect(Bool(true)) }
