import Foundation

/// The fixture folders under Tests/Fixtures, found by walking up from the calling file to the
/// package's Package.swift.
enum FixtureFolder {
    /// Tests/Fixtures/`name` in this package.
    static func named(_ name: String, filePath: String = #filePath) throws -> URL {
        var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            let parent = folder.deletingLastPathComponent()
            guard parent.path != folder.path else { throw FixtureError("no Package.swift above \(filePath)") }
            folder = parent
        }
        return folder.appendingPathComponent("Tests/Fixtures/\(name)")
    }
}
