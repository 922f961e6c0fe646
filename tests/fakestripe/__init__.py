"""A fake Stripe API on 127.0.0.1 for the tests (see server.py)."""
