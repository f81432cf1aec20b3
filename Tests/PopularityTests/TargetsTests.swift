import Foundation
import Testing
@testable import Popularity

/// A title with only what targets read.
func makeTitle(_ id: Int, year: Int, members: Int?, score: Double? = nil, favorites: Int? = nil, snapshot: String? = "s") -> Title {
    Title(id: id, title: "t\(id)", synopsis: "s\(id)", startDate: StartDate(year: year) ?? StartDate(year: 2000)!,
          members: members, score: score, favorites: favorites, snapshot: snapshot)
}

@Suite("Targets")
struct TargetsTests {
    @Test("popularity: midpoint percentile within (snapshot, year), ties averaged, exact values")
    func popularity() {
        let titles = [
            makeTitle(1, year: 2020, members: 10),
            makeTitle(2, year: 2020, members: 1000),
            makeTitle(3, year: 2020, members: 100),
            makeTitle(4, year: 2020, members: 100),
            makeTitle(5, year: 2021, members: 5),                    // alone in its year → 0.5
            makeTitle(6, year: 2020, members: 1, snapshot: "other"), // own snapshot → 0.5
            makeTitle(7, year: 2020, members: nil),                  // no members → nil, not counted
            makeTitle(8, year: 2021, members: 50_000, snapshot: "other"),
        ]
        let values = Targets.popularity(titles)
        // 2020/"s": ranks 1, 4, 2.5, 2.5 of n = 4 → (r − 0.5) / 4.
        #expect(values[0] == 0.125)
        #expect(values[1] == 0.875)
        #expect(values[2] == 0.5)
        #expect(values[3] == 0.5)
        #expect(values[4] == 0.5)
        #expect(values[5] == 0.5)
        #expect(values[6] == nil)
        #expect(values[7] == 0.5)
    }

    @Test("score: min–max with the training rows' bounds; test values may fall outside [0, 1]")
    func score() {
        let titles = [makeTitle(1, year: 2000, members: 1, score: 6), makeTitle(2, year: 2000, members: 1, score: 8),
                      makeTitle(3, year: 2000, members: 1, score: 9), makeTitle(4, year: 2000, members: 1, score: nil)]
        let values = Targets.values(.score, titles: titles, trainingRows: [0, 1])
        #expect(values[0] == 0)
        #expect(values[1] == 1)
        #expect(values[2] == 1.5)
        #expect(values[3] == nil)
    }

    @Test("favorites per member; zero members gives 0")
    func favorites() {
        let values = Targets.favoritesPerMember([makeTitle(1, year: 2000, members: 200, favorites: 5),
                                                 makeTitle(2, year: 2000, members: 0, favorites: 0),
                                                 makeTitle(3, year: 2000, members: 10)])
        #expect(values == [0.025, 0, nil])
    }
}

@Suite("Splits")
struct SplitsTests {
    @Test("time split by start year: < 2021, 2021–2022, ≥ 2023")
    func time() {
        let titles = [2019, 2020, 2021, 2022, 2023, 2026, 1990].enumerated().map { makeTitle($0.offset, year: $0.element, members: 1) }
        let split = Splits.time(titles)
        #expect(split.train == [0, 1, 6])
        #expect(split.validation == [2, 3])
        #expect(split.test == [4, 5])
    }

    @Test("k-fold: deterministic for a seed, partitions the rows, folds differ by at most one")
    func kFold() {
        let first = Splits.kFold(count: 103, folds: 5, seed: 42)
        #expect(first == Splits.kFold(count: 103, folds: 5, seed: 42))
        #expect(first != Splits.kFold(count: 103, folds: 5, seed: 43))
        #expect(Set(first.flatMap(\.test)) == Set(0..<103))
        #expect(first.flatMap(\.test).count == 103)
        let sizes = first.map(\.test.count)
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
        for (index, split) in first.enumerated() {
            #expect(split.validation == first[(index + 1) % 5].test)
            #expect(Set(split.train).isDisjoint(with: split.test))
            #expect(split.train.count + split.validation.count + split.test.count == 103)
        }
    }
}
