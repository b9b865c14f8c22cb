// Parley's small client-side helpers. No inline script anywhere: the CSP forbids it.
