//! Scoring the extractor against labelled sets (see ../shared/bench/METRICS.md).
