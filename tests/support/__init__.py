"""Helpers shared by the tests and the benchmarks: the app under AppTest, the real server and
Chromium, a throwaway PostgreSQL, threads released at once, and lifelines as an oracle."""
