"""Settings split by purpose: base (shared), dev, test, production."""
