"""Superbills for clients who claim from their insurer: settings, code lists,
the monthly run and the command."""
