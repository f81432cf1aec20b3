import Dispatch

/// Runs `body(worker)` for `workers` workers at once and returns their results in worker order.
/// Each worker writes only its own result slot, which is why the unchecked box is safe.
func parallelMap<T>(workers: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let box = ResultSlots<T>(count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        box.set(worker, body(worker))
    }
    return box.values()
}

/// Result slots written by distinct workers (one index each) and read after all have finished.
private final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { slots[index] = value }
    func values() -> [T] { slots.compactMap { $0 } }
}
