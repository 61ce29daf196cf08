import Foundation

/// Foundation's file errors in words. On Linux, `localizedDescription` of a failed file
/// operation is often "The operation could not be completed. (NSCocoaErrorDomain error 512.)";
/// the POSIX error underneath ("No space left on device") is what a person needs to read.
///
/// ```swift
/// do { try data.write(to: url) } catch { print(FileSystemErrorText.describe(error)) }  // "No space left on device"
/// ```
public enum FileSystemErrorText {
    public static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "No such file or directory"
            case .fileReadNoPermission, .fileWriteNoPermission: return "Permission denied"
            case .fileWriteOutOfSpace: return "No space left on device"
            case .fileWriteVolumeReadOnly: return "Read-only file system"
            case .fileWriteFileExists: return "File exists"
            default: return "file operation failed (code \(ns.code))"
            }
        }
        return error.localizedDescription
    }
}
