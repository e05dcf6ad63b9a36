"""The pwa's pages, one module per area (sign-in, requests, ...)."""
