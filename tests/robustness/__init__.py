"""Robustness: malformed files, hostile requests, reloads and settings (across the layers)."""
