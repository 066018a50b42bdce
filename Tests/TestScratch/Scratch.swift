import Foundation

/// One folder per test process under the system's temporary directory, removed when the process
/// exits: every data directory, log folder and export the tests make goes inside it, so a run
/// leaves nothing behind in /tmp (a dozen folders and hundreds of shop files per run otherwise).
private let scratchRoot: String = {
    try? FileManager.default.createDirectory(atPath: scratchRootPath(), withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchRootPath()) }
    return scratchRootPath()
}()

private func scratchRootPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("emporium-tests-\(getpid())").path
}

/// A fresh path inside this process's scratch folder, named `prefix` and a UUID (plus `suffix`).
public func scratchPath(_ prefix: String, suffix: String = "") -> String {
    scratchRoot + "/\(prefix)-\(UUID().uuidString)\(suffix)"
}
