"""argmap ingestion: sources -> thread -> extraction -> graph writes (``argmap.ingest.pipeline``)."""
