"""`newswire bench`: throughput, latency and memory of the pipeline and the service, as ratios from one run."""
