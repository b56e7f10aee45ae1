//! Tests for issue-stability work (filled by its owner).
