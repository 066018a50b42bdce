import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The registered route templates, so an unmatched request can be told "wrong method" (405)
/// instead of "no such route" (404), and so tests can hold the OpenAPI document to the router.
public final class RouteCatalog: Sendable {
    private let templates = Mutex<[(segments: [String], method: HTTPRequest.Method)]>([])

    init() {}

    func load(_ routes: [Router<AppRequestContext>.RouteDescription]) {
        templates.withLock { $0 = routes.map { (Self.segments($0.path.description), $0.method) } }
    }

    /// The methods registered for a template that matches `path`.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let requested = Self.segments(path)
        return templates.withLock { templates in
            templates.filter { Self.matches($0.segments, requested) }.map(\.method)
        }
    }

    /// Every registered route as `METHOD /template`.
    public var all: [String] {
        templates.withLock { $0.map { "\($0.method.rawValue) /" + $0.segments.joined(separator: "/") } }
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func matches(_ template: [String], _ path: [String]) -> Bool {
        guard template.count == path.count else { return false }
        return zip(template, path).allSatisfy { pattern, value in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == "*" || pattern == value
        }
    }
}
