//! Work spread over the machine's cores: spec files are parsed and generated files rendered on
//! every core. Results come back in the order of the inputs, whichever thread finished first, so
//! the output never depends on scheduling.

use std::sync::{Mutex, PoisonError};

/// `f` applied to every item, on up to as many threads as there are cores; the results in the
/// items' order. Threads take items from the end of the list: put the largest last.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let count = items.len();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(count);
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate().collect::<Vec<_>>());
    let results = Mutex::new(Vec::with_capacity(count));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = queue.lock().unwrap_or_else(PoisonError::into_inner).pop();
                let Some((index, item)) = next else { break };
                let result = f(item);
                results.lock().unwrap_or_else(PoisonError::into_inner).push((index, result));
            });
        }
    });
    // A thread that panicked has made `scope` panic already: every item has its result here.
    let mut results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..200).collect();
        let squares = super::map(items, |n| {
            // Uneven work, so threads finish out of order.
            std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
            n * n
        });
        assert_eq!(squares, (0..200).map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_no_threads() {
        assert!(super::map(Vec::<u8>::new(), |n| n).is_empty());
    }
}
