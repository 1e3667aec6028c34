import XCTest
import PoolingLayers
import SharedWeights
import GeneratedShapes
import Tensors

final class PoolingLayersTests: XCTestCase {
    func testPoolingHalvesEachMap() {
        let maps = Tensor.random(shape: [3, 24, 24], seed: 1)
        let (maxPooled, averagePooled) = PoolingLayers.pool(maps)
        XCTAssertEqual(maxPooled.shape, [3, 12, 12])
        XCTAssertEqual(maxPooled[1, 4, 5], [maps[1, 8, 10], maps[1, 8, 11], maps[1, 9, 10], maps[1, 9, 11]].max()!)
        XCTAssertEqual(averagePooled[2, 0, 0], (maps[2, 0, 0] + maps[2, 0, 1] + maps[2, 1, 0] + maps[2, 1, 1]) / 4, accuracy: 1e-6)
    }

    func testTheCompleteNetworkLearnsTheShapes() {
        // Issue 4's bar: at least 95% on the held-out shapes with a fixed seed and epoch count.
        let (training, test) = ShapesDataset.trainingAndTest()
        let network = PoolingLayers.trainNetwork(training: training)
        XCTAssertGreaterThanOrEqual(network.accuracy(test), 0.95)
    }
}
