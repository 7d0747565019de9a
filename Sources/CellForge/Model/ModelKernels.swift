extension ModelArchitecture {
    /// The generated kernels the recurrent layers need in `scalar`, in layer order without
    /// repeats (two layers of the same cell and sizes share one kernel).
    public func kernelKeys(scalar: ScalarType) -> [KernelKey] {
        var keys: [KernelKey] = []
        for layer in layers {
            let key = KernelKey(kind: layer.kind, hiddenSize: layer.hiddenSize, inputSize: layer.inputSize, scalar: scalar)
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// Throws unless `registry` has every kernel of `kernelKeys(scalar:)`.
    /// - Throws: one-line `CellForgeError.invalidArgument` naming each missing kernel and its
    ///   layers, and the manifest entry or codegen command that adds it.
    public func checkKernels<R: KernelRegistry>(in registry: R.Type, scalar: ScalarType) throws {
        let available = Set(R.keys)
        let missing = kernelKeys(scalar: scalar).filter { !available.contains($0) }
        guard !missing.isEmpty else { return }
        let named = missing.map { key in
            let at = layers.indices.filter { KernelKey(kind: layers[$0].kind, hiddenSize: layers[$0].hiddenSize,
                                                       inputSize: layers[$0].inputSize, scalar: scalar) == key }
            return "\(key) (layer\(at.count > 1 ? "s" : "") \(at.map(String.init).joined(separator: ", ")))"
        }
        let commands = missing.map {
            "swift run codegen --hidden \($0.hiddenSize) --input \($0.inputSize) --cell \($0.kind.rawValue) --scalar \($0.scalar.rawValue)"
        }
        throw CellForgeError.invalidArgument("no generated kernel for \(named.joined(separator: ", ")) in \(R.self): "
            + "add \(missing.count > 1 ? "them" : "it") to the kernel manifest (Generated/kernels.json) and run "
            + "`swift run codegen --manifest Generated/kernels.json`, or generate with `\(commands.joined(separator: "` and `"))`")
    }
}
