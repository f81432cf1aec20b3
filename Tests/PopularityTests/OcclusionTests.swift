import Testing
@testable import Popularity

@Suite("Occlusion map")
struct OcclusionTests {
    @Test("each occluded copy differs from the input exactly in its own grid cell")
    func cells() {
        let side = 6, grid = 3
        let input = (0..<(side * side * 3)).map { Float($0 + 1) }
        let copies = ImageFeaturizer.occlusions(of: input, side: side, grid: grid)
        #expect(copies.count == 1 + grid * grid && copies[0] == input)
        for cell in 0..<(grid * grid) {
            let changed = Set(input.indices.filter { copies[cell + 1][$0] != input[$0] }.map { ($0 / 3) })
            let expected = Set((0..<(side * side)).filter { ($0 / side) / 2 == cell / grid && ($0 % side) / 2 == cell % grid })
            #expect(changed == expected, "cell \(cell)")
        }
        #expect(ImageFeaturizer.occlusions(of: input, side: side, grid: 0) == [input])
    }
}
