//! Balanced assignment of units to centers: the location–allocation core of the optimizer.
//!
//! - [`seeding`]: first centers by weighted k-means++.
//! - [`mod@allocate`]: units to given centers, every territory's load within bounds, least weighted travel, solved
//!   exactly as a transportation problem by our network simplex, then the few split units resolved whole.
//! - [`location`]: each territory's center moved to its weighted medoid.
//!
//! Caps and floors ([`crate::limits`]) enter the allocation as prices on each territory's arcs
//! ([`Allocator::with_limits`], Lagrangian relaxation in `limit_prices`).

pub mod allocate;
mod limit_prices;
pub mod location;
pub mod seeding;

pub use allocate::{allocate, AllocateParams, Allocation, Allocator};
pub use location::medoid_centers;
pub use seeding::kmeans_pp;
