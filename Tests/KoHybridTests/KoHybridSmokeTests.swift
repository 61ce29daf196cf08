import Testing
@testable import KoHybrid

@Test func moduleLinks() { #expect(Bool(true)) }
