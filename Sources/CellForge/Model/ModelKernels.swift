extension RecurrentLayerShape {
    /// The generated kernel this layer runs in `scalar`, at any width (a registry picks the
    /// platform's default width if it has it, else the widest: `KernelKey.resolved(among:)`).
    public func kernelKey(scalar: ScalarType) -> KernelKey {
        KernelKey(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize, scalar: scalar)
    }
}

extension ModelArchitecture {
    /// The generated kernels the recurrent layers need in `scalar`, in layer order without
    /// repeats (two layers of the same cell and sizes share one kernel).
    public func kernelKeys(scalar: ScalarType) -> [KernelKey] {
        var keys: [KernelKey] = []
        for layer in recurrentLayers where !keys.contains(layer.kernelKey(scalar: scalar)) { keys.append(layer.kernelKey(scalar: scalar)) }
        return keys
    }

    /// Throws unless `registry` has every kernel of `kernelKeys(scalar:)`. `openLayers` calls it
    /// first, so a model with a size the registry lacks fails before anything is opened.
    /// - Throws: one-line `CellForgeError.invalidArgument` naming each missing kernel and its
    ///   layers, and the manifest entry or codegen command that adds it.
    public func checkKernels<R: KernelRegistry>(in registry: R.Type, scalar: ScalarType) throws {
        let missing = kernelKeys(scalar: scalar).filter { !R.contains($0) }
        guard !missing.isEmpty else { return }
        let named = missing.map { key in
            let at = layers.indices.filter { layers[$0].recurrent?.kernelKey(scalar: scalar) == key }
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
