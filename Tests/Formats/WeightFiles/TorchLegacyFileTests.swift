import XCTest
import SeededRandom
import Tensors
@testable import WeightFiles
@testable import VGG

final class TorchLegacyFileTests: XCTestCase {
    func testReadsTensorsContiguousAndStrided() throws {
        let file = try TorchLegacyFile(bytes: smallValidFile())
        XCTAssertEqual(file.tensors.map(\.name), ["a", "aT", "q"])
        XCTAssertEqual(file.elements(of: try file.tensor(named: "a")), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(file.elements(of: try file.tensor(named: "aT")), [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(file.elements(of: try file.tensor(named: "q")), [20, 30, 40, 250])
    }

    func testAFileOfAnotherKindIsNamedAsSuch() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        XCTAssertThrowsError(try TorchLegacyFile(bytes: png)) { error in
            XCTAssertTrue("\(error)".contains("not a PyTorch legacy weight file"), "\(error)")
        }
    }

    func testEveryTruncationIsAnErrorNotACrash() {
        let bytes = smallValidFile()
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try TorchLegacyFile(bytes: Array(bytes[..<length])), "prefix of \(length) bytes")
        }
    }

    func testAnOpcodeOutsideTheListIsRejectedByName() {
        // 1, 2, 3, TUPLE3, STOP: a valid pickle, but TUPLE3 is not among the opcodes the weight files use.
        var machine = PickleMachine(bytes: [0x80, 2, 0x4B, 1, 0x4B, 2, 0x4B, 3, 0x87, 0x2E])
        XCTAssertThrowsError(try machine.run()) { error in
            XCTAssertEqual(error as? WeightFileError, .unsupportedOpcode(name: "TUPLE3", byte: 0x87, offset: 8))
        }
        var unknown = PickleMachine(bytes: [0x80, 2, 0xFF, 0x2E])
        XCTAssertThrowsError(try unknown.run()) { error in
            XCTAssertEqual(error as? WeightFileError, .unsupportedOpcode(name: "unknown", byte: 0xFF, offset: 2))
        }
    }

    func testACountLargerThanTheFileIsTruncationNotAnAllocation() {
        let bytes = legacyFile(tensors: [FixtureTensor(name: "a", storageType: "FloatStorage", key: "1", shape: [2], stride: [1], declaredCount: 2)],
                               storages: ["1": (Int64.max / 2, floatBytes([1, 2]))])
        XCTAssertThrowsError(try TorchLegacyFile(bytes: bytes)) { error in
            guard case WeightFileError.truncated = error else { return XCTFail("\(error)") }
        }
        let declaredHuge = legacyFile(tensors: [FixtureTensor(name: "a", storageType: "FloatStorage", key: "1", shape: [60000, 60000], stride: [60000, 1],
                                                              declaredCount: 2)], storages: ["1": (2, floatBytes([1, 2]))])
        XCTAssertThrowsError(try TorchLegacyFile(bytes: declaredHuge))
    }

    func testAStorageKeyThatIsMissing() {
        let tensors = [FixtureTensor(name: "a", storageType: "FloatStorage", key: "1", shape: [2], stride: [1], declaredCount: 2)]
        // The key list names no storage: the tensor's data is missing.
        XCTAssertThrowsError(try TorchLegacyFile(bytes: legacyFile(tensors: tensors, storageKeys: [], storages: [:]))) { error in
            XCTAssertEqual(error as? WeightFileError, .missingStorage("1"))
        }
        // The key list names a storage no tensor declared.
        XCTAssertThrowsError(try TorchLegacyFile(bytes: legacyFile(tensors: tensors, storageKeys: ["1", "2"],
                                                                 storages: ["1": (2, floatBytes([1, 2])), "2": (1, floatBytes([3]))])))
    }

    func testStridesThatLeaveTheStorage() {
        let bytes = legacyFile(tensors: [FixtureTensor(name: "a", storageType: "FloatStorage", key: "1", shape: [2, 2], stride: [2, 1], offset: 1,
                                                       declaredCount: 4)], storages: ["1": (4, floatBytes([1, 2, 3, 4]))])
        XCTAssertThrowsError(try TorchLegacyFile(bytes: bytes)) { error in
            guard case WeightFileError.badTensor = error else { return XCTFail("\(error)") }
        }
    }

    func testAZeroStrideCannotClaimMoreElementsThanItsStorage() {
        // 1,000,000 x 1,000,000 elements from a storage of 2: reading it would allocate 4 TB.
        let huge = legacyFile(tensors: [FixtureTensor(name: "a", storageType: "FloatStorage", key: "1", shape: [1_000_000, 1_000_000],
                                                      stride: [0, 0], declaredCount: 2)], storages: ["1": (2, floatBytes([1, 2]))])
        XCTAssertThrowsError(try TorchLegacyFile(bytes: huge)) { error in
            XCTAssertEqual(error as? WeightFileError, .badTensor(name: "a", reason: "has 1000000000000 elements, more than its storage's 2"))
        }
        // As many elements as the storage, one of them read twice (a stride of 0), is still a tensor.
        let repeated = legacyFile(tensors: [FixtureTensor(name: "a", storageType: "FloatStorage", key: "1", shape: [2], stride: [0],
                                                          declaredCount: 2)], storages: ["1": (2, floatBytes([1, 2]))])
        XCTAssertEqual(try TorchLegacyFile(bytes: repeated).elements(of: TorchLegacyFile(bytes: repeated).tensor(named: "a")), [1, 1])
    }

    func testOnlyTheTwoKnownCallablesAreAccepted() {
        var bytes = smallValidFile()
        let name = Array("_rebuild_tensor_v2".utf8)
        let at = (0...(bytes.count - name.count)).first { Array(bytes[$0..<($0 + name.count)]) == name }!
        bytes.replaceSubrange(at..<(at + name.count), with: Array("os_system_callable".utf8))
        XCTAssertThrowsError(try TorchLegacyFile(bytes: bytes)) { error in
            XCTAssertEqual(error as? WeightFileError, .unsupportedObject("torch._utils.os_system_callable"))
        }
    }

    /// Thousands of seeded single-byte and few-byte mutations of a valid file: each either reads
    /// or throws; none traps, hangs or allocates without bound.
    func testSeededMutationsNeverCrash() {
        let original = smallValidFile()
        var rng = SplitMix64(seed: 12)
        var rejected = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0...(rng.next() % 3) {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let file = try? TorchLegacyFile(bytes: bytes) {
                for tensor in file.tensors { _ = file.elements(of: tensor) }
            } else {
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 1000)
    }

    /// A file whose layers do not have VGG19's shapes is refused by name.
    func testAFileWithTheWrongShapesIsNotVGG19() {
        let bytes = legacyFile(tensors: [
            FixtureTensor(name: "block1_conv1_W_q", storageType: "ByteStorage", key: "1", shape: [64, 3, 5, 5], stride: [75, 25, 5, 1], declaredCount: 4800),
            FixtureTensor(name: "block1_conv1_W_table", storageType: "FloatStorage", key: "2", shape: [256], stride: [1], declaredCount: 256),
            FixtureTensor(name: "block1_conv1_b", storageType: "FloatStorage", key: "3", shape: [64], stride: [1], declaredCount: 64),
        ], storages: ["1": (4800, [UInt8](repeating: 0, count: 4800)), "2": (256, floatBytes([Float](repeating: 0, count: 256))),
                      "3": (64, floatBytes([Float](repeating: 0, count: 64)))])
        XCTAssertThrowsError(try VGG.quantised(legacyFile: bytes)) { error in
            XCTAssertEqual(error as? WeightFileError, .shapeMismatch(name: "block1_conv1_W_q", expected: [64, 3, 3, 3], found: [64, 3, 5, 5]))
        }
        let missing = legacyFile(tensors: [], storages: [:])
        XCTAssertThrowsError(try VGG.quantised(legacyFile: missing)) { error in
            XCTAssertEqual(error as? WeightFileError, .missingTensor("block1_conv1_W_q"))
        }
    }
}
