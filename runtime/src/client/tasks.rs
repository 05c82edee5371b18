//! Waiting for the tasks long operations answer with (`202 Accepted` and a task to poll): poll
//! with backoff until the task is over or the time is up. Generated task types implement
//! [`TaskStatus`] from the spec's `api.tasks`; the generated client's `wait_for_task` calls
//! [`wait_for_task`] with its poll operation.

use std::future::Future;
use std::time::Duration;

use uuid::Uuid;

use super::error::{Error, TaskError};

/// What the waiter reads from a task.
pub trait TaskStatus {
    /// What identifies a task to the poll operation (text, or a UUID).
    type Id: Clone + std::fmt::Display;
    /// The task's id, passed to the poll operation.
    fn task_id(&self) -> Option<Self::Id>;
    /// Whether the task is over (finished, failed or not).
    fn is_done(&self) -> bool;
    /// Whether the task succeeded, once over; `None` when it does not say.
    fn succeeded(&self) -> Option<bool>;
    /// What the task reports.
    fn message(&self) -> Option<&str>;
    /// The URL of the resource the task created or changed.
    fn related_href(&self) -> Option<&str>;
    /// The id of the resource the task created or changed, from the end of its URL.
    fn related_id(&self) -> Option<Uuid> {
        self.related_href().and_then(crate::ids::href_id)
    }
}

/// How long and how often to poll: the first poll after `first_delay`, each next one after a
/// delay twice as long up to `max_delay`, for at most `timeout` in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskWait {
    /// Delay before the first poll (250 ms).
    pub first_delay: Duration,
    /// Longest delay between polls (5 s).
    pub max_delay: Duration,
    /// Time after which waiting is given up (10 minutes).
    pub timeout: Duration,
}

impl Default for TaskWait {
    fn default() -> Self {
        TaskWait {
            first_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
            timeout: Duration::from_secs(600),
        }
    }
}

impl TaskWait {
    /// The defaults: 250 ms, doubling up to 5 s, for 10 minutes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the delay before the first poll.
    #[must_use]
    pub fn first_delay(mut self, delay: Duration) -> Self {
        self.first_delay = delay;
        self
    }

    /// Sets the longest delay between polls.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the time after which waiting is given up.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Polls `task` until it is over: the task itself when it succeeded (or does not say), else
/// [`Error::Task`] (failed, timed out, or a task without an id). Errors of a poll end the wait.
pub async fn wait_for_task<T, E, F, Fut>(
    operation: &'static str,
    mut task: T,
    options: &TaskWait,
    mut poll: F,
) -> Result<T, Error<E>>
where
    T: TaskStatus,
    F: FnMut(T::Id) -> Fut,
    Fut: Future<Output = Result<T, Error<E>>>,
{
    let deadline = tokio::time::Instant::now() + options.timeout;
    let mut delay = options.first_delay;
    while !task.is_done() {
        let Some(id) = task.task_id() else {
            return Err(Error::Task(TaskError::no_id(operation)));
        };
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Err(Error::Task(TaskError::timed_out(operation, id.to_string(), options.timeout)));
        }
        tokio::time::sleep(delay.min(deadline - now)).await;
        delay = (delay * 2).min(options.max_delay.max(options.first_delay));
        tracing::debug!(task = %id, "polling the task");
        task = poll(id).await?;
    }
    match task.succeeded() {
        Some(false) => Err(Error::Task(TaskError::failed(
            operation,
            task.task_id().map(|id| id.to_string()),
            task.message().map(str::to_owned),
        ))),
        _ => Ok(task),
    }
}

/// [`wait_for_task`] from the id of a task an operation started (Backup for AWS answers
/// `202 Accepted` with the session's id only): the task is fetched at once, then waited for.
pub async fn wait_for_task_id<T, E, F, Fut>(
    operation: &'static str,
    id: T::Id,
    options: &TaskWait,
    mut poll: F,
) -> Result<T, Error<E>>
where
    T: TaskStatus,
    F: FnMut(T::Id) -> Fut,
    Fut: Future<Output = Result<T, Error<E>>>,
{
    let task = poll(id).await?;
    wait_for_task(operation, task, options, poll).await
}
