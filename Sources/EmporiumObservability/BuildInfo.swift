/// The version this binary reports in `/health`, `emporium version` and logs.
public enum BuildInfo {
    public static let version = "0.1.0"
    /// Set at release build time (`packaging/` passes `-DEMPORIUM_REVISION`); "dev" otherwise.
    public static let revision: String = {
        #if EMPORIUM_RELEASE
        return "release"
        #else
        return "dev"
        #endif
    }()
}
