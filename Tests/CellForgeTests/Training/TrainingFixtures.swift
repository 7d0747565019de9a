import Foundation

/// Tests/Fixtures/training/training_fixtures.json, written by make_training_fixtures.py with
/// PyTorch's schedulers, NAM's loss functions and autograd, and an independent Python
/// implementation of the epoch order.
struct TrainingFixtures: Decodable {
    struct Schedule: Decodable {
        let kind: String
        let base: Double
        let every: Int?, period: Int?, patience: Int?
        let factor: Double?, minimum: Double?, threshold: Double?
        let metrics: [Double]?
        let rates: [Double]
    }
    struct Loss: Decodable {
        let name: String
        let coefficient: Double?
        let burnIn: Int, length: Int
        let outputs: [Double], targets: [Double], gradient: [Double]
        let loss: Double
    }
    struct Order: Decodable {
        let count: Int, epoch: Int
        let seed: UInt64
        let order: [Int]
    }
    let schedules: [Schedule]
    let losses: [Loss]
    let epochOrders: [Order]

    static func load() throws -> TrainingFixtures {
        let url = try FixtureFolder.named("training").appendingPathComponent("training_fixtures.json")
        return try JSONDecoder().decode(TrainingFixtures.self, from: Data(contentsOf: url))
    }
}
