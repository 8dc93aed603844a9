"""Personal data safeguards (PIPA): masking, the append-only access log, consent and retention."""
