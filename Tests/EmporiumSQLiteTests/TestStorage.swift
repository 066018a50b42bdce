import EmporiumCore
import EmporiumSQLite
import Foundation

/// One folder per test process under the system's temporary directory, removed when the process
/// exits: every data directory and export these tests make goes inside it, so a run leaves nothing
/// behind in /tmp (hundreds of shop files per run otherwise).
private let scratchRoot: String = {
    try? FileManager.default.createDirectory(atPath: scratchRootPath(), withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchRootPath()) }
    return scratchRootPath()
}()

private func scratchRootPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("emporium-sqlite-tests-\(getpid())").path
}

/// A fresh path inside this process's scratch folder, named `prefix` and a UUID (plus `suffix`).
func scratchPath(_ prefix: String, suffix: String = "") -> String {
    scratchRoot + "/\(prefix)-\(UUID().uuidString)\(suffix)"
}

/// A configuration pointing at a fresh temporary data directory.
func temporaryConfig(_ overrides: [String: String] = [:]) throws -> AppConfig {
    let directory = scratchPath("emporium-sqlite")
    var environment = ["DATA_DIR": directory, "EMPORIUM_ENV": "test"]
    environment.merge(overrides) { _, new in new }
    return try ConfigLoader(environment: environment).load()
}

/// Decompresses `Fixtures/<name>` (a shop file an earlier release wrote) to `path`, where the
/// registry looks for the shop the file names as its owner.
func unpackFixture(_ name: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    let gunzip = Process()
    gunzip.executableURL = URL(fileURLWithPath: "/bin/sh")
    gunzip.arguments = ["-c", "gzip -dc \"$0\" > \"$1\"", fixture, path]
    try gunzip.run()
    gunzip.waitUntilExit()
    guard gunzip.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
}
