import CellForge
import Foundation
import Testing

/// The dataset fixtures in Tests/Fixtures/data (written by make_data_fixtures.py with Python's
/// wave module, soundfile and NumPy) and what those tools decode from them (expected.json).
enum DataFixtures {
    /// Tests/Fixtures/data in this package (`FixtureFolder`).
    static func folder() throws -> URL { try FixtureFolder.named("data") }

    /// A fixture file's URL.
    static func url(_ name: String) throws -> URL { try folder().appendingPathComponent(name) }

    /// The object at `key` of expected.json.
    static func expected(_ key: String) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url("expected.json")))
        guard let section = (json as? [String: Any])?[key] as? [String: Any] else {
            throw FixtureError("expected.json has no object \"\(key)\"")
        }
        return section
    }

    /// The values of an expected.json list: repr strings of float64s, converted with Swift's
    /// correctly rounded `Double(_:)` (JSONSerialization's numbers can be a few ulps off).
    static func doubles(_ value: Any?) throws -> [Double] {
        guard let strings = value as? [String], case let values = strings.compactMap(Double.init), values.count == strings.count else {
            throw FixtureError("expected.json value list is not a list of float strings: \(String(describing: value))")
        }
        return values
    }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `data` as a slice whose indices start at 7, to check that readers count offsets from the slice's start.
    static func offsetSlice(_ data: Data) -> Data {
        (Data(repeating: 0xAB, count: 7) + data).dropFirst(7)
    }
}
