"""A small agent that reads, writes and runs allowed commands in one workspace folder."""
