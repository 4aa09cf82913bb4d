"""Developer tools: process supervisor for `make run`, model training, local fakes."""
