/// The version this binary reports in `/health`, `emporium version` and logs.
public enum BuildInfo {
    public static let version = "0.3.0"
    /// The git revision a release was built from (written by `packaging/deb/build.sh`); "dev" otherwise.
    public static let revision = BuildRevision.value
}
