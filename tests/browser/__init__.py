"""Browser tests of the simulator page (headless Chromium via Playwright)."""
