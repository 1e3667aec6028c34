import XCTest
import Optimisers
import StyleTransfer

/// Chapter 9's loss log: the CSV a run writes with --log, its header pinned so other tools can read it.
final class LossLogTests: XCTestCase {
    func testLogIsCSVWithThePinnedHeader() {
        var log = LossLog()
        var parts = LossParts()
        parts.content = 2.5
        parts.style = 1e-7
        parts.totalVariation = 0.25
        log.append(LossRow(iteration: 0, parts: parts, seconds: 1.23456))
        XCTAssertEqual(log.csv, "iteration,total,content,style,tv,seconds\n0,\(2.5 + 1e-7 + 0.25),2.5,1e-07,0.25,1.235\n")
    }

    func testTheCSVReadsBack() throws {
        var log = LossLog()
        log.append(LossRow(iteration: 0, parts: LossParts(content: 3, style: 4e9, totalVariation: 0.5), seconds: 0.5))
        log.append(LossRow(iteration: 1, parts: LossParts(content: 2.75, style: 1.5e9, totalVariation: 0.25), seconds: 1.25))
        let read = try LossLog(csv: log.csv)
        XCTAssertEqual(read.rows, log.rows)
        XCTAssertThrowsError(try LossLog(csv: "iteration,loss\n0,1\n"))
        XCTAssertThrowsError(try LossLog(csv: LossLog.header + "\n0,1,2,3\n"))
    }
}
