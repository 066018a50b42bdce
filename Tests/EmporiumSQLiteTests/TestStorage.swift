import EmporiumSupport
import EmporiumCore
import EmporiumSQLite
import Foundation
import TestScratch

/// A configuration pointing at a fresh temporary data directory.
func temporaryConfig(_ overrides: [String: String] = [:]) throws -> AppConfig {
    let directory = scratchPath("emporium-sqlite")
    var environment = ["DATA_DIR": directory, "EMPORIUM_ENV": "test"]
    environment.merge(overrides) { _, new in new }
    return try ConfigLoader(environment: environment).load()
}

/// A provisioned shop whose file has been closed again (a cold shop): its configuration, id and path.
func closedShop() async throws -> (AppConfig, UUID, String) {
    let config = try temporaryConfig()
    let tenant = UUID()
    let setup = TenantDatabaseRegistry(config: config)
    try await setup.provision(tenantID: tenant)
    let path = await setup.path(for: tenant)
    await setup.closeAll()
    return (config, tenant, path)
}

/// Decompresses `Fixtures/<name>` (a shop file an earlier release wrote) to `path`, where the
/// registry looks for the shop the file names as its owner.
func unpackFixture(_ name: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    let gunzip = try ChildProcess.run("/bin/sh", ["-c", "gzip -dc \"$0\" > \"$1\"", fixture, path])
    guard gunzip.status == 0 else { throw CocoaError(.fileReadCorruptFile) }
}
