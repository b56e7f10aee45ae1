//! Tests for issue-sim work (filled by its owner).
