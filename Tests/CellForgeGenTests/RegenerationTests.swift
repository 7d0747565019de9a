import CellForge
import CellForgeGen
import Foundation
import Testing

/// The committed kernels can never drift from the generator or their manifests: `codegen
/// --manifest` is rerun for each kernel set (Generated/, Generated/Tests/, Generated/Benchmarks/)
/// into a temporary folder and every file compared byte for byte, and each set's folder holds no
/// other Swift file.
@Suite struct RegenerationTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let generated = root.appendingPathComponent("Generated")
    /// Every committed manifest as the README's commands name it, relative to the package root.
    static let manifestPaths = ["Generated/kernels.json", "Generated/Tests/kernels.json", "Generated/Benchmarks/kernels.json"]

    static func manifest(_ path: String = manifestPaths[0]) throws -> KernelManifest {
        try KernelManifest.load(from: root.appendingPathComponent(path))
    }

    /// The folder a manifest's files are committed in: its own.
    static func folder(_ path: String) -> URL {
        root.appendingPathComponent(path).deletingLastPathComponent()
    }

    /// What `swift run codegen --manifest <path>` runs, from the package root.
    static func generator(_ path: String) throws -> ManifestGenerator {
        ManifestCommand(manifest: path, output: nil, regenerateWith: nil).generator(for: try manifest(path))
    }

    /// Generated/ and its subfolders are exactly the committed sets: a new folder of kernels
    /// needs its manifest here (and its target in Package.swift).
    @Test func everyKernelFolderHasItsManifest() throws {
        let subfolders = try FileManager.default.contentsOfDirectory(atPath: Self.generated.path).filter {
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.generated.appendingPathComponent($0).path, isDirectory: &folder)
                && folder.boolValue
        }.sorted()
        #expect(subfolders.map { "Generated/\($0)/kernels.json" } == Self.manifestPaths.dropFirst().sorted())
    }

    /// No kernel is committed twice: the same type name in two kernel modules would be ambiguous
    /// wherever both are imported.
    @Test func noKernelIsInTwoManifests() throws {
        let names = try Self.manifestPaths.flatMap { try Self.manifest($0).kernels.map(\.fileName) }
        #expect(Set(names).count == names.count)
    }

    @Test(arguments: manifestPaths) func everyCommittedSwiftFileComesFromTheManifest(_ path: String) throws {
        let committed = try FileManager.default.contentsOfDirectory(atPath: Self.folder(path).path)
            .filter { $0.hasSuffix(".swift") }.sorted()
        #expect(committed == (try Self.generator(path).fileNames).sorted())
    }

    @Test(arguments: manifestPaths) func manifestRegeneratesItsFolderByteForByte(_ path: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try Self.generator(path).write(to: folder)
        #expect(written.count == (try Self.manifest(path).kernels.count) + 1)
        for url in written {
            let committed = try Data(contentsOf: Self.folder(path).appendingPathComponent(url.lastPathComponent))
            #expect(try Data(contentsOf: url) == committed, "\(path): \(url.lastPathComponent) differs from what codegen emits now")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == written.count, "staging left behind")
    }

    /// The README's main job writes Generated/LSTM_H8_D8_Float.swift with `swift run codegen
    /// --hidden 8`; it must write the bytes the manifest does, or the job would dirty the checkout.
    @Test func singleKernelCommandWritesTheManifestsBytes() throws {
        guard case let .generate(command) = try CodegenCommand.parse(["--hidden", "8"]) else {
            Issue.record("--hidden 8 is not a generate command"); return
        }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = CodegenCommand.kernelCommand(command.spec, output: command.output)
        let url = try KernelGenerator.write(command.spec, regenerate: header, to: folder)
        #expect(try Self.manifest().kernels.contains(command.spec))
        #expect(try Data(contentsOf: url) == Data(contentsOf: Self.generated.appendingPathComponent(url.lastPathComponent)))
    }

    /// Each kernel's header command, run as written, rewrites that kernel's bytes into its own folder.
    @Test(arguments: manifestPaths) func kernelHeadersRegenerateTheirKernel(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        for spec in try Self.manifest(path).kernels {
            let text = try String(contentsOf: Self.folder(path).appendingPathComponent(spec.fileName), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[0].hasPrefix("// Generated by CellForge codegen"), "\(spec.fileName) has no generator header")
            let command = lines[1].trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
            #expect(command.hasPrefix("swift run codegen "))
            let arguments = command.split(separator: " ").dropFirst(3).map(String.init)
            guard case let .generate(parsed) = try CodegenCommand.parse(arguments) else {
                Issue.record("\(spec.fileName): header command is not a generate command"); continue
            }
            #expect(parsed.spec == spec && parsed.output == folder, "\(spec.fileName): writes into \(parsed.output)")
            #expect(KernelGenerator.source(for: parsed.spec, regenerate: command) == text)
        }
    }

    @Test func sourceIsDeterministic() throws {
        let spec = try KernelSpec(cell: .gru, hiddenSize: 5, inputSize: 3, scalar: .float)
        #expect(KernelGenerator.source(for: spec) == KernelGenerator.source(for: spec))
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-regen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
