import Foundation

/// The standard `process_*` metrics, read from `/proc/self` (Linux) at scrape time: what the
/// saturation alerts watch (memory against the container limit, descriptors against `LimitNOFILE`).
public struct ProcessFigures: Sendable {
    public var residentBytes: Double?
    public var virtualBytes: Double?
    public var openDescriptors: Double?
    public var maxDescriptors: Double?
    public var cpuSeconds: Double?
    public var startTime: Double?

    public static func current() -> ProcessFigures {
        var figures = ProcessFigures()
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ").compactMap { Double($0) }
            if fields.count >= 2 {
                figures.virtualBytes = fields[0] * pageSize
                figures.residentBytes = fields[1] * pageSize
            }
        }
        figures.openDescriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map { Double($0.count) }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            figures.maxDescriptors = Double(limit.rlim_cur)
        }
        // /proc/self/stat: fields after the ")" of the command name; utime, stime are 14 and 15, starttime 22.
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 20, let user = Double(fields[11]), let system = Double(fields[12]), let started = Double(fields[19]) {
                figures.cpuSeconds = (user + system) / ticks
                if let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
                   let since = Double(uptime.split(separator: " ").first ?? "") {
                    figures.startTime = Date().timeIntervalSince1970 - since + started / ticks
                }
            }
        }
        return figures
    }

    func write(into out: inout PrometheusText) {
        let rows: [(String, String, String, Double?)] = [
            ("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentBytes),
            ("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtualBytes),
            ("process_open_fds", "gauge", "Number of open file descriptors.", openDescriptors),
            ("process_max_fds", "gauge", "Maximum number of open file descriptors.", maxDescriptors),
            ("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", cpuSeconds),
            ("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", startTime),
        ]
        for (name, type, help, value) in rows {
            if let value { out.family(name, type, help, [([], value)]) }
        }
    }
}
