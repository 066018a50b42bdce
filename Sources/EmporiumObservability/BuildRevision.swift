/// Written by packaging/deb/build.sh for release builds.
enum BuildRevision {
    static let value = "dev"
}
