"""Data files of the enrichment stages (see SOURCES.md); a package so that wheels carry them."""
