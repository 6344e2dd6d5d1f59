//! What a bulk run tells its observer: the place to keep a journal.

use super::item::{BatchSending, BulkItem};

/// The error an observer returns; any error type will do.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Hears of each batch of a bulk run before it is sent and once it is
/// answered, before its items are yielded: the place to keep a journal.
///
/// Both run on the runtime, in the batch's task: keep them short (a write
/// and an fsync are fine). An error stops the run as
/// [`StopHandle::stop`](crate::StopHandle::stop) does; a failed [`sending`](BulkObserver::sending)
/// also keeps its batch from being sent.
pub trait BulkObserver: Send + Sync + 'static {
    /// The batch is about to be sent for the first time.
    ///
    /// # Errors
    ///
    /// Any: the batch is not sent, its items fail with
    /// [`ErrorKind::Stopped`](crate::ErrorKind::Stopped), and the run stops.
    fn sending(&self, batch: &BatchSending<'_>) -> Result<(), BoxError> {
        let _ = batch;
        Ok(())
    }

    /// A batch that [`sending`](BulkObserver::sending) was told of has its
    /// final items (one per invitation sent). Called exactly once for every
    /// such batch, even when the stream was dropped meanwhile.
    ///
    /// # Errors
    ///
    /// Any: the run stops (the items are still yielded).
    fn answered(&self, items: &[BulkItem]) -> Result<(), BoxError> {
        let _ = items;
        Ok(())
    }
}
