import EmporiumCore
import EmporiumSQLite
import Foundation

/// A configuration pointing at a fresh temporary data directory.
func temporaryConfig(_ overrides: [String: String] = [:]) throws -> AppConfig {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-sqlite-\(UUID().uuidString)").path
    var environment = ["DATA_DIR": directory, "EMPORIUM_ENV": "test"]
    environment.merge(overrides) { _, new in new }
    return try ConfigLoader(environment: environment).load()
}
