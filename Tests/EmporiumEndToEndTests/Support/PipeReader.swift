import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Copies what a child writes to a pipe into an `OutputBuffer` as it comes, with blocking reads on
/// a thread of its own that ends at end of file.
///
/// Not `FileHandle.readabilityHandler`: on Linux that arms a libdispatch read source, and tearing
/// such sources down while others come and go can leave libdispatch's epoll bookkeeping pointing at
/// freed memory, which crashed the whole test process in `_dispatch_event_loop_drain`
/// (swift-corelibs-libdispatch #949; CI on `68717ba`). Its handler also fires without end once the
/// pipe is at end of file. A blocking read registers nothing with libdispatch.
enum PipeReader {
    /// Starts copying `handle` into `buffer`. The thread reads a duplicate of the descriptor and
    /// closes it at end of file, so it never reads a number the handle's owner has closed and the
    /// system has handed to another file meanwhile.
    static func copy(_ handle: FileHandle, into buffer: OutputBuffer) {
        let descriptor = fcntl(handle.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        guard descriptor >= 0 else {
            buffer.append(Array("[the test could not read this pipe: errno \(errno)]\n".utf8))
            return
        }
        let thread = Thread {
            defer { close(descriptor) }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffer.append(Array(chunk[..<count]))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.name = "pipe reader"
        thread.start()
    }
}

/// Bytes a child process wrote, appended from a `PipeReader` thread. Kept as bytes and decoded
/// when read, so a character split across two reads is not mangled.
final class OutputBuffer: Sendable {
    private let storage = Mutex<[UInt8]>([])
    var text: String { storage.withLock { String(decoding: $0, as: UTF8.self) } }
    func append(_ bytes: [UInt8]) { storage.withLock { $0 += bytes } }
}
