#[derive(Clone, Debug, Default)]
pub struct Pipeline;
impl progenitor_client::ClientHooks<Pipeline> for crate::generated::Client {}
