//! Deterministic synthetic company for demos and tests (work in progress).
