"""argmap ingestion: sources -> thread -> extraction -> graph writes, and the CLI."""
