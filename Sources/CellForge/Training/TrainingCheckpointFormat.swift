import Foundation

/// A training checkpoint as a safetensors file: the model's tensors as in `ModelFile`, Adam's
/// under `adam.m.` and `adam.v.`, the best model's under `best.`; `__metadata__` with the
/// architecture (`ModelFormat`), `"cellforge.training_checkpoint": "1"`, Adam's step count, the
/// trainer's state under `cellforge.trainer.` (numbers as the hexadecimal bit patterns of their
/// Double values, so they read back exactly), and the tensors' checksums.
enum TrainingCheckpointFormat {
    static let formatKey = "cellforge.training_checkpoint"
    static let versions = ["1"]
    static let what = "training checkpoint"
    static let prefixes = ["adam.m.", "adam.v."], bestPrefix = "best."

    /// The trainer's metadata keys.
    enum Key {
        static let stepCount = ModelCheckpointFormat.adamStepCountKey
        static let history = "cellforge.trainer.history"
        static let plateau = "cellforge.trainer.plateau"
        static let elapsed = "cellforge.trainer.elapsed"
        static let best = "cellforge.trainer.best"
        static let settingPrefix = "cellforge.trainer.setting."
    }

    static func file<S: CellScalar>(_ c: TrainingCheckpoint<S>) throws -> SafeTensors {
        guard case let .adam(stepCount, m, v) = c.model.optimizer else { preconditionFailure("checked in init") }
        try c.model.validate()
        if let best = c.best { try ModelFormat.checkFinite(best.parameters, prefix: bestPrefix, file: what) }
        var tensors: [String: SafeTensors.Tensor] = [:]
        var parts = [("", c.model.parameters), (prefixes[0], m), (prefixes[1], v)]
        if let best = c.best { parts.append((bestPrefix, best.parameters)) }
        for (prefix, values) in parts {
            for t in ModelFormat.tensors(of: values, prefix: prefix) {
                tensors[t.name] = try! SafeTensors.Tensor(shape: t.shape, values: Array(t.values))
            }
        }
        var info = c.model.metadata.merging(ModelFormat.metadata(c.model.parameters.architecture, scalar: S.self)) { _, own in own }
        info[formatKey] = versions.last!
        info[ModelCheckpointFormat.optimizerKey] = "adam"
        info[Key.stepCount] = String(stepCount)
        let s = c.state
        info[Key.history] = s.history.map { r in
            "\(r.epoch)," + [r.loss, r.learningRate, r.metric, r.seconds].map(hex).joined(separator: ",")
        }.joined(separator: ";")
        info[Key.plateau] = "\(hex(s.plateauRate)),\(hex(s.plateauBest)),\(s.plateauBadEpochs)"
        info[Key.elapsed] = hex(s.elapsed)
        if let best = c.best { info[Key.best] = "\(best.epoch),\(hex(best.metric))" }
        for (key, value) in s.settings { info[Key.settingPrefix + key] = value }
        return TensorChecksums.file(tensors: tensors, metadata: info)
    }

    static func checkpoint<S: CellScalar>(_ file: SafeTensors) throws -> TrainingCheckpoint<S> {
        let header = try ModelFileHeader(file, kind: .training)
        try header.checkExactScalar(S.self, file: what)
        let meta = file.metadata
        func entry(_ key: String) throws -> String {
            guard let value = meta[key] else { throw CellForgeError.invalidFormat("\(what) __metadata__ has no \"\(key)\" entry") }
            return value
        }
        func unparsable(_ key: String) -> CellForgeError {
            CellForgeError.invalidFormat("\(what) __metadata__ \"\(key)\" is \(SafeTensors.quoted(meta[key] ?? "")), which does not parse")
        }
        guard try entry(ModelCheckpointFormat.optimizerKey) == "adam" else {
            throw CellForgeError.invalidFormat("\(what) optimizer is \(SafeTensors.quoted(meta[ModelCheckpointFormat.optimizerKey]!)), not adam")
        }
        guard let stepCount = Int(try entry(Key.stepCount)) else { throw unparsable(Key.stepCount) }
        let historyText = try entry(Key.history)
        var history: [EpochRecord] = []
        for (k, record) in historyText.split(separator: ";", omittingEmptySubsequences: false).enumerated() where !historyText.isEmpty {
            let f = record.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 5, let epoch = Int(f[0]), epoch == k + 1, let n = f[1...].map(double).allNonNil() else { throw unparsable(Key.history) }
            history.append(EpochRecord(epoch: epoch, loss: n[0], learningRate: n[1], metric: n[2], seconds: n[3]))
        }
        let p = try entry(Key.plateau).split(separator: ",", omittingEmptySubsequences: false)
        guard p.count == 3, let rate = double(p[0]), let best = double(p[1]), let badEpochs = Int(p[2]), badEpochs >= 0 else { throw unparsable(Key.plateau) }
        guard let elapsed = double(try entry(Key.elapsed)) else { throw unparsable(Key.elapsed) }
        var bestEntry: (epoch: Int, metric: Double)?
        if let text = meta[Key.best] {
            let f = text.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 2, let e = Int(f[0]), (1...max(1, history.count)).contains(e), let m = double(f[1]) else { throw unparsable(Key.best) }
            bestEntry = (e, m)
        }
        let settings = Dictionary(uniqueKeysWithValues: meta.filter { $0.key.hasPrefix(Key.settingPrefix) }
            .map { (String($0.key.dropFirst(Key.settingPrefix.count)), $0.value) })
        let known = header.keys.union([ModelCheckpointFormat.optimizerKey, Key.stepCount, Key.history, Key.plateau, Key.elapsed, Key.best])
            .union(settings.keys.map { Key.settingPrefix + $0 })
        try header.checkNoUnknownEntries(meta, known: known, file: what)

        let all = [""] + prefixes + (bestEntry == nil ? [] : [bestPrefix])
        let set = try ModelFormat.checkedTensors(header, in: file, prefixes: all, file: what)
        let models: [ModelParameters<S>] = try all.map { try ModelFormat.parameters(header.architecture, from: set, prefix: $0) }
        let model = try ModelCheckpoint(parameters: models[0], optimizer: .adam(stepCount: stepCount, firstMoment: models[1], secondMoment: models[2]),
                                        metadata: header.user)
        try model.validate()
        let bestModel = bestEntry.map { BestModel(parameters: models[3], metric: $0.metric, epoch: $0.epoch) }
        if let bestModel { try ModelFormat.checkFinite(bestModel.parameters, prefix: bestPrefix, file: what) }
        return try TrainingCheckpoint(model: model, best: bestModel,
                                      state: TrainerState(history: history, plateauRate: rate, plateauBest: best, plateauBadEpochs: badEpochs,
                                                          elapsed: elapsed, settings: settings))
    }

    /// A Double as the hexadecimal digits of its bit pattern.
    static func hex(_ x: Double) -> String { String(x.bitPattern, radix: 16) }

    /// The Double whose bit pattern `text` gives in hexadecimal, or nil.
    static func double(_ text: Substring) -> Double? {
        guard text.count <= 16, let bits = UInt64(text, radix: 16) else { return nil }
        return Double(bitPattern: bits)
    }
    static func double(_ text: String) -> Double? { double(text[...]) }
}

private extension Array {
    /// The unwrapped values, or nil if any is nil.
    func allNonNil<T>() -> [T]? where Element == T? {
        var out: [T] = []
        for x in self { guard let x else { return nil }; out.append(x) }
        return out
    }
}
