"""The test suite: laid out like the code (model/, ui/, pages/, cli/), plus browser/ (Playwright)."""
