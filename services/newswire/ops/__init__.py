"""Operating the service: feed health, the status page."""
