import EmporiumSupport
import Foundation

/// Points the fleet at a changed plan: the fleet file, HAProxy's two maps, then HAProxy's reload.
/// Shared by `fleet move` and `fleet failover`, the two commands that change which node serves a
/// shop. Without `mapDirectory` only the file is written (run `fleet haproxy` and reload yourself).
public struct FleetRouteSwitch: Sendable {
    let fleetPath: String
    /// Where `fleet haproxy` wrote the maps (HAProxy's configuration names them there).
    let mapDirectory: String?
    /// A shell command that makes HAProxy read them again, e.g. `systemctl reload haproxy`.
    let reloadCommand: String?

    public init(fleetPath: String, mapDirectory: String?, reloadCommand: String?) {
        (self.fleetPath, self.mapDirectory, self.reloadCommand) = (fleetPath, mapDirectory, reloadCommand)
    }

    /// Writes `plan` and reloads the proxy. On a failure after the file was written, the previous
    /// plan and maps are put back (best effort) before the error is thrown.
    public func apply(_ plan: FleetPlan, replacing previous: FleetPlan) throws {
        try plan.save(to: fleetPath)
        do {
            try writeMapsAndReload(plan)
        } catch {
            try? previous.save(to: fleetPath)
            try? writeMapsAndReload(previous)
            throw error
        }
    }

    private func writeMapsAndReload(_ plan: FleetPlan) throws {
        guard let mapDirectory else { return }
        let rendered = HAProxyConfig(plan: plan, bind: ":80", mapDirectory: mapDirectory)
        for (name, text) in rendered.maps {
            try AtomicFile.write(Data(text.utf8), to: "\(mapDirectory)/\(name)")
        }
        guard let reloadCommand else { return }
        let finished = try ChildProcess.run("/bin/sh", ["-c", reloadCommand], keep: 2_000)
        guard finished.status == 0 else {
            throw DomainError.unavailable("The reload command `\(reloadCommand)` exited with status \(finished.status)"
                                          + (finished.errorText.isEmpty ? "" : ": \(finished.errorText)"))
        }
    }
}
