//! Stability analysis with the Graph Model for Conflict Resolution (stub; see issue #6).
