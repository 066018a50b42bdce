import EmporiumSupport
import Foundation

/// Copies the backup folder to another box with `rsync` (`BACKUP_SHIP_TO`): a fleet's warm standby
/// keeps each node's latest backups, ready for `emporium fleet failover`. An existing tool over ssh
/// or a shared mount, not a protocol of our own; rsync writes each file under a hidden name and
/// renames it when complete, so the standby never sees half a backup under a backup's name.
public struct BackupShipping: Sendable {
    public let source: String
    public let destination: String
    public let rsync: String

    public init(source: String, destination: String, rsync: String = "/usr/bin/rsync") {
        self.source = source
        self.destination = destination
        self.rsync = rsync
    }

    /// An rsync destination this appliance will hand to rsync: not an option (`-…`), one line.
    public static func isUsableDestination(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && !text.contains(where: \.isNewline) && text.count <= 1_024
    }

    /// The arguments: backups and their manifests only (not the staging folders), the standby's
    /// copy mirroring this box's retention (`--delete`).
    public var arguments: [String] {
        ["--archive", "--delete", "--include=*.sqlite.gz", "--include=*.sqlite.gz.sha256", "--exclude=*",
         source.hasSuffix("/") ? source : source + "/", destination]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs rsync to the end; throws with its exit status and last error lines when it fails.
    public func ship() throws {
        guard FileManager.default.isExecutableFile(atPath: rsync) else {
            throw Failure(description: "\(rsync) is not installed (apt-get install rsync)")
        }
        let finished = try ChildProcess.run(rsync, arguments, keep: 2_000)
        guard finished.status == 0 else {
            throw Failure(description: "rsync exited with status \(finished.status): \(finished.errorText)")
        }
    }
}
