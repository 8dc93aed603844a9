"""Learning records and operations, as Django apps inside this package."""
