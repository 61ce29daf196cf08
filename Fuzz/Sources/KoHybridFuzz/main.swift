import Foundation

// libFuzzer driver for KoHybrid's readers of user data. Usage (scripts/fuzz.sh runs it):
//
//   KoHybridFuzz TARGET --seeds DIR          write TARGET's seed corpus into DIR
//   KoHybridFuzz TARGET [libFuzzer flags] [CORPUS...]
//
// TARGET is filter, jsonl, pickle or chroma-directory; the bodies are `FuzzTargets`, shared with
// the seeded harness in Tests/KoHybridFuzzTests. A thrown error is a handled input; a trap (or
// a broken round trip, made a trap here) is a crash libFuzzer saves as crash-<sha1>.

/// libFuzzer's entry point when the program has its own `main` (LLVM 11+).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

extension FuzzSeeds {
    /// `$KOHYBRID_SHARED/fixtures/chroma`, else `../shared/fixtures/chroma` beside the checkout.
    static var chromaFixtures: URL {
        let shared = ProcessInfo.processInfo.environment["KOHYBRID_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("shared")
        return shared.appendingPathComponent("fixtures").appendingPathComponent("chroma")
    }
}

let targets = ["filter", "jsonl", "pickle", "chroma-directory"]
let arguments = CommandLine.arguments
guard arguments.count >= 2, targets.contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: KoHybridFuzz {\(targets.joined(separator: "|"))} [--seeds DIR | libFuzzer flags and corpus dirs]\n".utf8))
    exit(2)
}
let target = arguments[1]
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-libfuzzer-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
atexit { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-libfuzzer-\(getpid())")) }

if arguments.count == 4, arguments[2] == "--seeds" {
    let folder = URL(fileURLWithPath: arguments[3])
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var seeds: [[UInt8]]
    switch target {
    case "filter": seeds = (FuzzSeeds.filters + FuzzSeeds.documentFilters).map { Array($0.utf8) }
    case "jsonl": seeds = FuzzSeeds.jsonLinesFiles() + FuzzSeeds.getDumps()
    case "pickle": seeds = FuzzSeeds.pickles()
    default:
        // Fixture choice then patches; an empty patch list reads the fixture undamaged.
        seeds = FuzzSeeds.chromaFixtureVersions.indices.map { [UInt8($0)] }
        var random = Mutator(seeds: [[0]], seed: 7)
        for _ in 0..<32 { seeds.append([UInt8(random.below(7))] + (0..<14).map { _ in UInt8(random.below(256)) }) }
    }
    for (index, seed) in seeds.enumerated() { try Data(seed).write(to: folder.appendingPathComponent("seed-\(index)")) }
    print("\(seeds.count) seeds for \(target) in \(folder.path)")
    exit(0)
}

// Fixture copies for chroma-directory, made once per process.
nonisolated(unsafe) var fixtures: [ChromaDirectoryCopy] = []
if target == "chroma-directory" {
    fixtures = try FuzzSeeds.chromaFixtureVersions.map { try ChromaDirectoryCopy(version: $0, under: scratch) }
}

func runOne(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = count == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: count))
    switch target {
    case "filter": try? FuzzTargets.filter(bytes) { ok, message in if !ok { fatalError(message) } }
    case "jsonl": try? FuzzTargets.jsonLines(bytes, in: scratch)
    case "pickle": try? FuzzTargets.pickle(bytes)
    default:
        guard let first = bytes.first else { return 0 }
        let fixture = fixtures[Int(first) % fixtures.count]
        let touched = fixture.apply(patches: bytes.dropFirst())
        defer { fixture.restore(indexes: touched) }
        try? FuzzTargets.chromaDirectory(fixture.persist)
    }
    return 0
}

// libFuzzer sees the arguments without TARGET.
var driverArguments = [arguments[0]] + arguments.dropFirst(2)
var argc = CInt(driverArguments.count)
var cStrings: [UnsafeMutablePointer<CChar>?] = driverArguments.map { strdup($0) } + [nil]
let status = cStrings.withUnsafeMutableBufferPointer { buffer -> CInt in
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv) { runOne($0, $1) }
}
exit(status)
