//! Paginators: an operation that pages (offset and limit, or page number and size) read as a
//! `Stream` of pages or of items, each page fetched when the stream gets there.
//!
//! The generated builder says where its position and page size are and how a page reads
//! ([`Paged`]); how to walk the pages and when to stop is written once here.

use futures_util::stream::{self, Stream, TryStreamExt};

use super::operation::{send, Operation};
use super::Error;

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// The position is the number of items skipped (`offset`, `skip`), from 0; a total, when
    /// pages carry one, counts items.
    Offset,
    /// The position is the page number, from `first`; a total, when pages carry one, counts
    /// pages.
    Page {
        /// The number of the first page (1, or 0 for some APIs).
        first: i64,
    },
}

impl PageStyle {
    /// Where paging starts when the builder sets no position.
    pub const fn start(self) -> i64 {
        match self {
            PageStyle::Offset => 0,
            PageStyle::Page { first } => first,
        }
    }
}

/// What one page says about the rest: how many items it holds, and the total the server gave
/// (items for [`PageStyle::Offset`], pages for [`PageStyle::Page`]), if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items on this page.
    pub items: usize,
    /// The total, when the page carries one.
    pub total: Option<i64>,
}

/// A generated request builder whose operation pages.
pub trait Paged<'a>: Operation<'a> + Clone + Send + 'a {
    /// One item of a page.
    type Item: Send + 'a;
    /// How the operation pages.
    const STYLE: PageStyle;

    /// The position the builder asks for, if set.
    fn position(&self) -> Option<i64>;
    /// The page size the builder asks for, if set.
    fn page_size(&self) -> Option<i64>;
    /// The same request at another position; `None` when the position does not fit the
    /// parameter's type.
    fn at(&self, position: i64) -> Option<Self>;
    /// What a page says about the rest.
    fn progress(page: &Self::Output) -> Progress;
    /// A page's items.
    fn into_items(page: Self::Output) -> Vec<Self::Item>;
}

/// The position of the page after one at `position` that said `progress`, or `None` when it
/// was the last: an empty page; the total reached; a page shorter than the size asked for; or,
/// for page numbers, a page without a total or a size asked for (the server did not page).
pub fn next_position(style: PageStyle, position: i64, size: Option<i64>, progress: Progress) -> Option<i64> {
    let count = i64::try_from(progress.items).ok()?;
    let size = size.filter(|size| *size > 0);
    if count == 0 || size.is_some_and(|size| count < size) {
        return None;
    }
    match style {
        PageStyle::Offset => {
            let next = position.checked_add(count)?;
            match progress.total {
                Some(total) if next >= total => None,
                _ => Some(next),
            }
        }
        PageStyle::Page { first } => {
            let fetched = position.checked_sub(first)?.checked_add(1)?;
            match (progress.total, size) {
                (Some(pages), _) if fetched >= pages => None,
                (None, None) => None,
                _ => position.checked_add(1),
            }
        }
    }
}

/// Every page from the builder's position on, each fetched when the stream reaches it; the
/// first error ends the stream.
pub fn pages<'a, P: Paged<'a>>(first: P) -> impl Stream<Item = Result<P::Output, Error<P::ErrorBody>>> + Send + 'a {
    let position = first.position().unwrap_or(P::STYLE.start());
    stream::try_unfold(Some((first, position)), |state| async move {
        let Some((builder, position)) = state else { return Ok(None) };
        let size = builder.page_size();
        let following = builder.clone();
        let page = send(builder).await?;
        let progress = P::progress(&page);
        let next = next_position(P::STYLE, position, size, progress);
        if let Some(next) = next {
            tracing::debug!(position = next, "fetching the next page");
        }
        let state = next.and_then(|next| Some((following.at(next)?, next)));
        Ok(Some((page, state)))
    })
}

/// Every item of every page from the builder's position on (see [`pages`]).
pub fn items<'a, P: Paged<'a>>(first: P) -> impl Stream<Item = Result<P::Item, Error<P::ErrorBody>>> + Send + 'a {
    pages(first).map_ok(|page| stream::iter(P::into_items(page).into_iter().map(Ok))).try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(items: usize, total: Option<i64>) -> Progress {
        Progress { items, total }
    }

    #[test]
    fn offsets_stop_at_the_total_an_empty_page_or_a_short_one() {
        let offset = PageStyle::Offset;
        assert_eq!(next_position(offset, 0, Some(2), progress(2, Some(5))), Some(2));
        assert_eq!(next_position(offset, 4, Some(2), progress(1, Some(5))), None);
        assert_eq!(next_position(offset, 2, Some(2), progress(2, Some(4))), None);
        assert_eq!(next_position(offset, 0, None, progress(100, None)), Some(100));
        assert_eq!(next_position(offset, 100, None, progress(0, None)), None);
        assert_eq!(next_position(offset, 0, Some(10), progress(3, None)), None);
        // Backup for AWS's `Limit=-1` (everything): the total decides.
        assert_eq!(next_position(offset, 0, Some(-1), progress(7, Some(7))), None);
        assert_eq!(next_position(offset, i64::MAX, None, progress(1, None)), None);
    }

    #[test]
    fn pages_stop_at_the_page_count_or_when_the_server_did_not_page() {
        let page = PageStyle::Page { first: 1 };
        assert_eq!(next_position(page, 1, Some(2), progress(2, Some(3))), Some(2));
        assert_eq!(next_position(page, 3, Some(2), progress(1, Some(3))), None);
        assert_eq!(next_position(page, 3, Some(2), progress(2, Some(3))), None);
        assert_eq!(next_position(page, 1, Some(2), progress(2, None)), Some(2));
        assert_eq!(next_position(page, 1, None, progress(50, None)), None);
        let from_zero = PageStyle::Page { first: 0 };
        assert_eq!(next_position(from_zero, 0, Some(2), progress(2, Some(2))), Some(1));
        assert_eq!(next_position(from_zero, 1, Some(2), progress(2, Some(2))), None);
    }
}
