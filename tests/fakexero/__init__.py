"""A local fake of Xero's Accounting API (the parts the sync uses), over real HTTP."""
