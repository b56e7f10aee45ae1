//! Tests for issue-genius work (filled by its owner).
