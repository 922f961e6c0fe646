"""A local fake of QuickBooks Online (Accounting API v3) and Intuit's OAuth endpoints."""
