pub mod generated;
pub mod pipeline;
